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
    // One lookup per byte: the classic table the slice-by-8 tables extend.
    private static readonly uint[] ByteTable = BuildByteTable();

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
    public uint Scalar()
    {
        var crc = Crc32Mpeg2.InitialValue;
        foreach (var b in _data)
        {
            crc = (crc << 8) ^ ByteTable[(crc >> 24) ^ b];
        }
        return crc;
    }

    [Benchmark]
    public uint SliceBy8() => Crc32Mpeg2.Compute(_data);

    private static uint[] BuildByteTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ Crc32Mpeg2.Polynomial : crc << 1;
            }
            table[i] = crc;
        }
        return table;
    }
}
