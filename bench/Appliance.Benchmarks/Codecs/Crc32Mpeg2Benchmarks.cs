using Appliance.Codecs.MpegTs;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>
/// CRC-32/MPEG-2: slice-by-8 against one lookup per byte, at the size of a PMT section (26 bytes,
/// what the muxer and demuxer actually check) and of a large section-sized block.
/// </summary>
[MemoryDiagnoser]
public class Crc32Mpeg2Benchmarks
{
    private byte[] _data = [];

    [Params(26, 4096)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Length];
        new Random(3).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public uint Scalar() => Crc32Mpeg2.ComputeScalar(_data);

    [Benchmark]
    public uint SliceBy8() => Crc32Mpeg2.Compute(_data);
}
