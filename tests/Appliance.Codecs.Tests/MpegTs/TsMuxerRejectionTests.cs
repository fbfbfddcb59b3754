using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>Every way the muxer refuses input: nothing is written and no counter moves.</summary>
public class TsMuxerRejectionTests
{
    [Fact]
    public void VideoBeforeAConfigIsRefused()
    {
        var result = new TsMuxer().WriteVideo(new byte[4096], Hex.Bytes(TsSamples.IdrFrame), 0, 0, true);
        Assert.Equal(new TsMuxResult(TsMuxStatus.NoVideoConfig, 0), result);
    }

    [Fact]
    public void AudioBeforeAConfigIsRefused()
    {
        var result = TsMuxerVideoTests.H264Muxer().WriteAudio(new byte[4096], Hex.Bytes("DE0400"), 0);
        Assert.Equal(new TsMuxResult(TsMuxStatus.NoAudioConfig, 0), result);
    }

    [Theory]
    // A NAL length one byte past the end.
    [InlineData("0000000D6588843A2628000902C9D75E")]
    // A good unit, then a length far past the end.
    [InlineData("00000002419A 7FFFFFFF 41")]
    // A good unit, then half a length prefix.
    [InlineData("00000002419A 0000")]
    // A length with the top bit set, which must not turn negative.
    [InlineData("80000000 419A")]
    public void AFrameWhoseLengthsOverrunIsDroppedAndReported(string frame)
    {
        AssertRefusedWithoutSideEffects(Hex.Bytes(frame), TsMuxStatus.NalLengthOverrun);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000000 00000000")]
    // Only an AUD, which the muxer replaces with its own: nothing left to show.
    [InlineData("00000002 09F0")]
    public void AFrameWithoutUnitsIsDropped(string frame)
    {
        AssertRefusedWithoutSideEffects(Hex.Bytes(frame), TsMuxStatus.EmptyFrame);
    }

    [Fact]
    public void AnOversizedFrameIsDroppedBeforeItIsRead()
    {
        var frame = new byte[TsMuxer.MaxFrameLength + 1];
        AssertRefusedWithoutSideEffects(frame, TsMuxStatus.FrameTooLarge);
    }

    [Fact]
    public void AudioFramesAdtsCannotFrameAreDropped()
    {
        var muxer = TsMuxerAudioTests.AacMuxer();
        var buffer = new byte[16384];
        Assert.Equal(TsMuxStatus.EmptyFrame, muxer.WriteAudio(buffer, [], 0).Status);
        Assert.Equal(TsMuxStatus.FrameTooLarge, muxer.WriteAudio(buffer, new byte[AdtsHeader.MaxPayloadLength + 1], 0).Status);
        // Nothing was written: the first good frame still carries the tables and counter 0.
        var packets = TsBytes.Packets(TsBytes.Audio(muxer, Hex.Bytes("DE0400"), 0));
        Assert.Equal(3, packets.Length);
        Assert.Equal(0, TsBytes.Counter(packets[2]));
    }

    [Theory]
    // Truncated, wrong version, and reserved NAL length size 3.
    [InlineData("0142C00AFFE1")]
    [InlineData("0242c00affe100166742c00ada25b011000003000100000300320f1226a001000468ce0fc8")]
    [InlineData("0142c00afee100166742c00ada25b011000003000100000300320f1226a001000468ce0fc8")]
    // No PPS.
    [InlineData("0142c00affe100166742c00ada25b011000003000100000300320f1226a000")]
    // The "SPS" is a PPS, and the "PPS" an IDR slice.
    [InlineData("0142c00affe1000468ce0fc801000468ce0fc8")]
    [InlineData("0142c00affe100166742c00ada25b011000003000100000300320f1226a001000465ce0fc8")]
    public void ABadAvcConfigIsRefusedAndTheOldOneStays(string record)
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        Assert.Equal(TsMuxStatus.BadVideoConfig, muxer.SetAvcConfig(Hex.Bytes(record)));
        var ts = TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true);
        // The PMT still lists H.264 (stream_type at byte 17), and the IDR carries the old SPS.
        Assert.Equal((byte)TsStreamType.H264, TsBytes.Packets(ts)[1][17]);
        Assert.Contains(TsSamples.Sps.ToUpperInvariant(), Hex.Of(ts));
    }

    [Theory]
    // Shorter than the fixed part.
    [InlineData("0101600000009000000000005DF000FCFDF8F8")]
    // NAL length size 3 (lengthSizeMinusOne 2) is reserved.
    [InlineData("0101600000009000000000005DF000FCFDF8F800000E03A00001001840010C01FFFF01600000030090000003000003005D959809A10001000742010101600000A200010007" + "4401C172B46240")]
    // No PPS array.
    [InlineData("0101600000009000000000005DF000FCFDF8F800000F02A00001001840010C01FFFF01600000030090000003000003005D959809A1000100074201010160000003")]
    // A NAL length past the end.
    [InlineData("0101600000009000000000005DF000FCFDF8F800000F01A00001009940010C")]
    // An array header cut short.
    [InlineData("0101600000009000000000005DF000FCFDF8F800000F01A000")]
    public void ABadHevcConfigIsRefused(string record)
    {
        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.BadVideoConfig, muxer.SetHevcConfig(Hex.Bytes(record)));
        Assert.False(muxer.HasVideo);
    }

    [Theory]
    [InlineData("")]
    // Object type 0.
    [InlineData("0210")]
    // Explicit sampling rate: ADTS has no code for it.
    [InlineData("178000AC4410")]
    // Channel configuration 0 (a PCE would follow).
    [InlineData("1200")]
    public void ABadAudioConfigIsRefused(string asc)
    {
        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.BadAudioConfig, muxer.SetAacConfig(Hex.Bytes(asc)));
        Assert.False(muxer.HasAudio);
    }

    [Fact]
    public void AShortDestinationThrowsBeforeWritingAnything()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var frame = Hex.Bytes(TsSamples.IdrFrame);
        Assert.Throws<ArgumentException>(() => muxer.WriteVideo(new byte[2 * TsPacket.Size], frame, 0, 0, true));
        var packets = TsBytes.Packets(TsBytes.Video(muxer, frame, 0, key: true));
        Assert.Equal(0, TsBytes.Counter(packets[0]));
        Assert.Equal(0, TsBytes.Counter(packets[2]));
        var audio = TsMuxerAudioTests.AacMuxer();
        Assert.Throws<ArgumentException>(() => audio.WriteAudio(new byte[TsPacket.Size], Hex.Bytes("DE0400"), 0));
    }

    // A refused frame leaves the muxer as it was: the next good keyframe gets tables with counter 0.
    private static void AssertRefusedWithoutSideEffects(byte[] frame, TsMuxStatus expected)
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var buffer = new byte[65536];
        buffer.AsSpan().Fill(0xAA);
        Assert.Equal(new TsMuxResult(expected, 0), muxer.WriteVideo(buffer, frame, 0, 0, true));
        Assert.True(buffer.All(b => b == 0xAA));
        var packets = TsBytes.Packets(TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true));
        Assert.Equal(3, packets.Length);
        Assert.All(packets, p => Assert.Equal(0, TsBytes.Counter(p)));
    }
}
