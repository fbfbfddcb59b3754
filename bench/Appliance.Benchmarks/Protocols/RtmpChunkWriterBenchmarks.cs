using Appliance.Core.Buffers;
using Appliance.Protocols.Rtmp;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Protocols;

/// <summary>One 20 KB video frame as an RTMP chunk run, done once per frame for every RTMP player.</summary>
[MemoryDiagnoser]
public class RtmpChunkWriterBenchmarks
{
    private const int FrameSize = 20 * 1024;

    private byte[] _payload = [];
    private SharedBuffer _destination = null!;

    [Params(128, 4096)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[FrameSize];
        Random.Shared.NextBytes(_payload);
        _payload[0] = 0x27;
        _destination = SharedBuffer.Rent(RtmpChunkWriter.MaxLength(FrameSize, ChunkSize, RtmpChunkStreamBuilder.VideoChunkStream));
    }

    [GlobalCleanup]
    public void Cleanup() => _destination.Release();

    [Benchmark]
    public int WriteVideoFrame() =>
        RtmpChunkWriter.Write(_destination.FullSpan, RtmpChunkStreamBuilder.VideoChunkStream, 123_456, RtmpMessageType.Video, 1, _payload, ChunkSize);
}
