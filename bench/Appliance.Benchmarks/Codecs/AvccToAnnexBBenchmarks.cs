using Appliance.Codecs.MpegTs;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>
/// A 20 KB AVCC frame (SEI + four slices) rewritten as Annex-B: the memmove path (vectorised by the
/// runtime) against a byte-at-a-time copy.
/// </summary>
[MemoryDiagnoser]
public class AvccToAnnexBBenchmarks
{
    private const int FrameSize = 20 * 1024;

    private byte[] _frame = [];
    private byte[] _destination = [];

    [GlobalSetup]
    public void Setup()
    {
        _frame = new byte[FrameSize];
        new Random(11).NextBytes(_frame);
        var offset = 0;
        foreach (var length in new[] { 28, 5110, 5110, 5110, FrameSize - 28 - (3 * 5110) - 20 })
        {
            _frame[offset] = (byte)(length >> 24);
            _frame[offset + 1] = (byte)(length >> 16);
            _frame[offset + 2] = (byte)(length >> 8);
            _frame[offset + 3] = (byte)length;
            offset += 4 + length;
        }
        _destination = new byte[AvccToAnnexB.Measure(_frame, 4)];
    }

    [Benchmark(Baseline = true)]
    public int Scalar() => AvccToAnnexB.ConvertScalar(_frame, 4, _destination);

    [Benchmark]
    public int Vectorised() => AvccToAnnexB.Convert(_frame, 4, _destination);
}
