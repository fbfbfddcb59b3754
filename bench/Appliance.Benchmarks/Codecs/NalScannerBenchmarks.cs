using System.Runtime.Intrinsics;
using Appliance.Codecs.MpegTs;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>
/// Finding every start code in 64 KB of Annex-B video (a start code every 4 KB, the rest random
/// slice data without any): the vector paths against the scalar one and the runtime's IndexOf.
/// </summary>
[MemoryDiagnoser]
public class NalScannerBenchmarks
{
    private const int Size = 64 * 1024;
    private const int UnitSize = 4096;

    private byte[] _data = [];

    private static ReadOnlySpan<byte> StartCode => [0, 0, 1];

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(7).NextBytes(_data);
        // Real slices carry emulation prevention, so 00 00 0x (x <= 3) never occurs inside them.
        for (var i = 2; i < Size; i++)
        {
            if (_data[i - 2] == 0 && _data[i - 1] == 0 && _data[i] <= 3)
            {
                _data[i] = 0x80;
            }
        }
        for (var i = 0; i + 4 < Size; i += UnitSize)
        {
            _data[i] = 0;
            _data[i + 1] = 0;
            _data[i + 2] = 0;
            _data[i + 3] = 1;
        }
    }

    [Benchmark(Baseline = true)]
    public int Scalar() => CountAll(static d => NalScanner.IndexOfStartCodeScalar(d));

    [Benchmark]
    public int Vector128Path() => Vector128.IsHardwareAccelerated ? CountAll(static d => d.Length >= 18 ? NalScanner.IndexOfStartCodeVector128(d) : NalScanner.IndexOfStartCodeScalar(d)) : -1;

    [Benchmark]
    public int Vector256Path() => Vector256.IsHardwareAccelerated ? CountAll(static d => d.Length >= 34 ? NalScanner.IndexOfStartCodeVector256(d) : NalScanner.IndexOfStartCodeScalar(d)) : -1;

    /// <summary>The dispatching entry point the demuxer uses.</summary>
    [Benchmark]
    public int Dispatch() => CountAll(static d => NalScanner.IndexOfStartCode(d));

    /// <summary>The runtime's vectorised substring search, for reference.</summary>
    [Benchmark]
    public int RuntimeIndexOf() => CountAll(static d => d.IndexOf(StartCode));

    private delegate int Finder(ReadOnlySpan<byte> data);

    private int CountAll(Finder find)
    {
        var count = 0;
        ReadOnlySpan<byte> rest = _data;
        while (true)
        {
            var found = find(rest);
            if (found < 0)
            {
                return count;
            }
            count++;
            rest = rest[(found + 3)..];
        }
    }
}
