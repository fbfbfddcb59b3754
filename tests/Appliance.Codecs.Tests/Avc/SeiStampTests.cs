using Appliance.Codecs.Avc;
using Appliance.Codecs.Hevc;
using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Avc;

public sealed class SeiStampTests
{
    // 2026-12-06 23:00 UTC in microseconds: no zero byte pair, so no emulation prevention.
    private const long Now = 1_796_598_000_000_000;

    // 00 00 00 01 00 00 00 00 needs two emulation prevention bytes.
    private const long Zeros = 0x0000000100000000;

    [Fact]
    public void TheH264NalIsAnSeiUserDataUnregisteredMessageWithTheUuidAndTheTime()
    {
        var nal = new byte[SeiStamp.MaxNalLength];
        var length = SeiStamp.WriteH264Nal(nal, Now);

        Assert.Equal(
            "06 05 18 A95E7C41D23B4F869E1C62B7F058E32D 000661FF11981C00 80".Replace(" ", "", StringComparison.Ordinal),
            Hex.Of(nal.AsSpan(0, length)));
        Assert.Equal(6, NalUnitTypes.H264Type(nal[0]));
    }

    [Fact]
    public void TheH265NalIsAPrefixSeiWithTheSamePayload()
    {
        var h264 = new byte[SeiStamp.MaxNalLength];
        var h265 = new byte[SeiStamp.MaxNalLength];
        var h264Length = SeiStamp.WriteH264Nal(h264, Now);
        var length = HevcSeiStamp.WriteNal(h265, Now);

        Assert.Equal(39, NalUnitTypes.H265Type(h265[0]));
        // nuh_layer_id 0, nuh_temporal_id_plus1 1.
        Assert.Equal(0x4E01, (h265[0] << 8) | h265[1]);
        Assert.Equal(Hex.Of(h264.AsSpan(1, h264Length - 1)), Hex.Of(h265.AsSpan(2, length - 2)));
        Assert.True(SeiStamp.TryFind(h265.AsSpan(0, length), out var time));
        Assert.Equal(Now, time);
    }

    [Fact]
    public void ZeroBytesInTheTimeGetEmulationPreventionAndAreReadBackWithout()
    {
        var nal = new byte[SeiStamp.MaxNalLength];
        var length = SeiStamp.WriteH264Nal(nal, Zeros);

        Assert.EndsWith("E32D" + "0000030001000003000080", Hex.Of(nal.AsSpan(0, length)), StringComparison.Ordinal);
        Assert.True(SeiStamp.TryFind(nal.AsSpan(0, length), out var time));
        Assert.Equal(Zeros, time);
    }

    [Fact]
    public void TheLongestNalIsATimeOfZeroInH265()
    {
        var nal = new byte[SeiStamp.MaxNalLength + 8];
        var length = HevcSeiStamp.WriteNal(nal, 0);

        Assert.Equal(SeiStamp.MaxNalLength, length);
        Assert.EndsWith("E32D" + "000003000003000003000080", Hex.Of(nal.AsSpan(0, length)), StringComparison.Ordinal);
        Assert.True(SeiStamp.TryFind(nal.AsSpan(0, length), out var time));
        Assert.Equal(0, time);
    }

    [Fact]
    public void TheStampIsFoundInAnAvccFrameAfterOtherUnits()
    {
        var frame = Avcc(Hex.Bytes("0910"), Hex.Bytes("0605 0401020304 80"), Stamp(Now), Hex.Bytes("6588840021"));

        Assert.True(SeiStamp.TryFind(frame, out var time));
        Assert.Equal(Now, time);
        Assert.False(SeiStamp.TryFind(Avcc(Hex.Bytes("6588840021")), out _));
    }

    [Fact]
    public void AStampCutShortIsNotAStamp()
    {
        var nal = Stamp(Now);

        Assert.False(SeiStamp.TryFind(nal.AsSpan(0, nal.Length - 3), out _));
    }

    [Theory]
    [InlineData(Now)]
    [InlineData(Zeros)]
    public void TheScannerFindsEveryStampOfAStreamCutAtAnyByte(long first)
    {
        // Three frames; a false start of the UUID before the second.
        var stream = Avcc(Stamp(first), Hex.Bytes("65AABBCC"), Hex.Bytes("A95E7C41"), Stamp(first + 40_000), Hex.Bytes("41CC"), Stamp(first + 80_000), Hex.Bytes("41DD"));
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            Assert.Equal([first, first + 40_000, first + 80_000], ScanInPieces(stream, cut, stream.Length));
        }
        Assert.Equal([first, first + 40_000, first + 80_000], ScanInPieces(stream, 0, 1));
    }

    [Fact]
    public void ResetForgetsAStampInProgress()
    {
        var nal = Stamp(Now);
        var scanner = new SeiStampScanner();
        ReadOnlySpan<byte> head = nal.AsSpan(0, 10);
        Assert.False(scanner.TryNext(ref head, out _));

        scanner.Reset();
        ReadOnlySpan<byte> tail = nal.AsSpan(10);
        Assert.False(scanner.TryNext(ref tail, out _));
        Assert.True(tail.IsEmpty);
    }

    private static List<long> ScanInPieces(byte[] stream, int firstCut, int pieceLength)
    {
        var found = new List<long>();
        var scanner = new SeiStampScanner();
        var pieces = new List<(int Start, int Length)> { (0, firstCut) };
        for (var start = firstCut; start < stream.Length; start += pieceLength)
        {
            pieces.Add((start, Math.Min(pieceLength, stream.Length - start)));
        }
        foreach (var (start, length) in pieces)
        {
            ReadOnlySpan<byte> piece = stream.AsSpan(start, length);
            while (scanner.TryNext(ref piece, out var time))
            {
                found.Add(time);
            }
            Assert.True(piece.IsEmpty);
        }
        return found;
    }

    private static byte[] Stamp(long time)
    {
        var nal = new byte[SeiStamp.MaxNalLength];
        return nal.AsSpan(0, SeiStamp.WriteH264Nal(nal, time)).ToArray();
    }

    private static byte[] Avcc(params byte[][] nals)
    {
        var frame = new List<byte>();
        foreach (var nal in nals)
        {
            frame.AddRange([0, 0, (byte)(nal.Length >> 8), (byte)nal.Length]);
            frame.AddRange(nal);
        }
        return [.. frame];
    }
}
