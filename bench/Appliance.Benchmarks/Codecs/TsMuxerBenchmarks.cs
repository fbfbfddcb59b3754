using Appliance.Benchmarks.Gates;
using Appliance.Codecs.MpegTs;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>
/// One 20 KB H.264 frame (SEI + slice, four-byte lengths) into TS packets: done once per frame per
/// stream, for every HTTP-TS viewer and HLS segment. MB/s = 20480 / mean(ns) * 1000. Target: zero
/// bytes allocated per frame.
/// </summary>
[MemoryDiagnoser]
[ZeroAllocation]
public class TsMuxerBenchmarks
{
    private const int FrameSize = 20 * 1024;

    // The avcC of a 32x32 baseline stream: its SPS and PPS are inserted before each IDR.
    private static readonly byte[] AvcRecord = Convert.FromHexString("0142C00AFFE100166742C00ADA25B011000003000100000300320F1226A001000468CE0FC8");

    private readonly TsMuxer _muxer = new();
    private byte[] _interFrame = [];
    private byte[] _keyFrame = [];
    private byte[] _destination = [];
    private long _dts;

    [GlobalSetup]
    public void Setup()
    {
        if (_muxer.SetAvcConfig(AvcRecord) != TsMuxStatus.Ok)
        {
            throw new InvalidOperationException("bad benchmark config");
        }
        _interFrame = Frame(0x41);
        _keyFrame = Frame(0x65);
        _destination = new byte[_muxer.MaxVideoLength(FrameSize)];
    }

    /// <summary>A P-frame, 40 ms after the last: no tables, just the PES.</summary>
    [Benchmark(Baseline = true)]
    public int MuxInterFrame()
    {
        _dts += 40;
        return _muxer.WriteVideo(_destination, _interFrame, _dts, 80, isKeyFrame: false).BytesWritten;
    }

    /// <summary>An IDR: PAT, PMT, AUD, SPS and PPS as well.</summary>
    [Benchmark]
    public int MuxKeyFrame()
    {
        _dts += 40;
        return _muxer.WriteVideo(_destination, _keyFrame, _dts, 80, isKeyFrame: true).BytesWritten;
    }

    private static byte[] Frame(byte sliceHeader)
    {
        var frame = new byte[FrameSize];
        new Random(42).NextBytes(frame);
        // A 16-byte SEI, then one slice filling the rest.
        WriteUnit(frame, 0, 16, 0x06);
        WriteUnit(frame, 20, FrameSize - 24, sliceHeader);
        return frame;
    }

    private static void WriteUnit(byte[] frame, int offset, int length, byte header)
    {
        frame[offset] = (byte)(length >> 24);
        frame[offset + 1] = (byte)(length >> 16);
        frame[offset + 2] = (byte)(length >> 8);
        frame[offset + 3] = (byte)length;
        frame[offset + 4] = header;
    }
}
