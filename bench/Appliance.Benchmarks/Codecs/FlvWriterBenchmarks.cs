using Appliance.Codecs.Flv;
using Appliance.Core.Buffers;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>One 20 KB video frame as an FLV tag, done once per frame for every HTTP-FLV viewer.</summary>
[MemoryDiagnoser]
public class FlvWriterBenchmarks
{
    private const int FrameSize = 20 * 1024;

    private byte[] _payload = [];
    private SharedBuffer _destination = null!;

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[FrameSize];
        Random.Shared.NextBytes(_payload);
        _payload[0] = 0x27;
        _destination = SharedBuffer.Rent(FlvWriter.TagLength(FrameSize));
    }

    [GlobalCleanup]
    public void Cleanup() => _destination.Release();

    [Benchmark]
    public int WriteVideoTag()
    {
        var written = FlvWriter.WriteTag(_destination.FullSpan, FlvTagType.Video, 123_456, _payload);
        _destination.Length = written;
        return written;
    }
}
