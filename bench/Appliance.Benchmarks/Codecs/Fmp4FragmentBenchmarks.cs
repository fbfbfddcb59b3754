using System.Buffers;
using Appliance.Codecs.Fmp4;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>
/// One CMAF fragment of one 20 KB H.264 frame (an LL-HLS part of a single frame, the worst case
/// for per-fragment overhead): done once per fragment per stream, for every viewer. Target: zero
/// bytes allocated per fragment.
/// </summary>
[MemoryDiagnoser]
public class Fmp4FragmentBenchmarks
{
    private const int FrameSize = 20 * 1024;

    // The avcC of a 32x32 baseline stream, as in TsMuxerBenchmarks.
    private static readonly byte[] AvcRecord = Convert.FromHexString("0142C00AFFE100166742C00ADA25B011000003000100000300320F1226A001000468CE0FC8");

    private readonly Fmp4Sample[] _samples = [new(3000, FrameSize, IsSync: false, CompositionOffset: 6000)];
    private readonly byte[] _header = new byte[256];
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private Fmp4Track _track = null!;
    private ReadOnlySequence<byte> _frame;
    private uint _sequenceNumber;
    private ulong _decodeTime;

    [GlobalSetup]
    public void Setup()
    {
        if (!Fmp4Track.TryCreateAvc(1, AvcRecord, out var track, out var problem))
        {
            throw new InvalidOperationException($"bad benchmark config: {problem}");
        }
        _track = track;
        var frame = new byte[FrameSize];
        new Random(42).NextBytes(frame);
        _frame = new ReadOnlySequence<byte>(frame);
    }

    /// <summary>styp + moof + mdat header into a small span; the caller then appends the frame by reference.</summary>
    [Benchmark(Baseline = true)]
    public int Header()
    {
        _decodeTime += 3000;
        ReadOnlySpan<Fmp4Sample> samples = _samples;
        var length = Fmp4Fragment.MeasureHeader(_track, samples, withSegmentType: true);
        return Fmp4Fragment.WriteHeader(_header.AsSpan(0, length), _track, ++_sequenceNumber, _decodeTime, samples, withSegmentType: true);
    }

    /// <summary>The whole fragment, the 20 KB payload copied after the header into a reused buffer.</summary>
    [Benchmark]
    public long WholeFragment()
    {
        _decodeTime += 3000;
        _output.ResetWrittenCount();
        return Fmp4Fragment.Write(_output, _track, ++_sequenceNumber, _decodeTime, _samples, _frame, withSegmentType: true);
    }
}
