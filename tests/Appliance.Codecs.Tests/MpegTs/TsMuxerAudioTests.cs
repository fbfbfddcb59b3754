using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class TsMuxerAudioTests
{
    private const string PmtAudioOnly = "475000100002b0120001c10000e101f0000fe101f000ece2b094";
    private const string PmtVideoAndAudio = "475000100002b0170001c10000e100f0001be100f0000fe101f0002f44b99b";

    [Fact]
    public void WritesAnAudioOnlyStreamWithThePcrOnTheAudioPid()
    {
        var muxer = AacMuxer();
        var ts = TsBytes.Audio(muxer, Hex.Bytes("DE0400"), ptsMs: 1400);
        var packets = TsBytes.Packets(ts);
        Assert.Equal(3, packets.Length);
        Assert.Equal(TsBytes.PaddedHex(TsSamples.PatPacketStart), Hex.Of(packets[0]));
        Assert.Equal(TsBytes.PaddedHex(PmtAudioOnly), Hex.Of(packets[1]));
        // PES of 14 + 7 + 3 bytes; PCR 126000 and random access; ADTS for a 10-byte frame.
        var pes = "000001C00012808005210007D861" + "FFF15080015FFC" + "DE0400";
        var expected = "47410130" + "9F" + "50" + "0000F6187E00" + TsBytes.Stuffing(152) + pes;
        Assert.Equal(expected.ToUpperInvariant(), Hex.Of(packets[2]));
    }

    [Fact]
    public void WritesAudioBesideVideoWithoutAPcr()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(Hex.Bytes(TsSamples.AacLc44100Stereo)));
        var first = TsBytes.Packets(TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true));
        // The same PMT ffmpeg writes for H.264 and AAC.
        Assert.Equal(TsBytes.PaddedHex(PmtVideoAndAudio), Hex.Of(first[1]));
        var packets = TsBytes.Packets(TsBytes.Audio(muxer, Hex.Bytes("DE0400"), ptsMs: 20));
        Assert.Single(packets);
        // Random access alone: a two-byte adaptation field, then stuffing.
        var pes = "000001C00012808005" + "2100010E11" + "FFF15080015FFC" + "DE0400";
        var expected = "47410130" + "9F" + "40" + TsBytes.Stuffing(158) + pes;
        Assert.Equal(expected.ToUpperInvariant(), Hex.Of(packets[0]));
    }

    [Fact]
    public void RepeatsTablesEvery100MsOfAudio()
    {
        var muxer = AacMuxer();
        var frame = Hex.Bytes("DE0400");
        var counts = new[] { 0, 23, 46, 69, 92, 116, 139, 162, 185, 209, 232 }
            .Select(t => TsBytes.Audio(muxer, frame, t).Length / TsPacket.Size);
        Assert.Equal([3, 1, 1, 1, 1, 3, 1, 1, 1, 1, 3], counts);
    }

    [Fact]
    public void AddingATrackBumpsThePmtVersionAndResendsTheTables()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        // Byte 10 of the PMT packet: reserved bits, version_number, current_next_indicator.
        Assert.Equal(0xC1, TsBytes.Packets(TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true))[1][10]);
        Assert.Equal(1, TsBytes.Video(muxer, Hex.Bytes("00000002419A"), 40).Length / TsPacket.Size);
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(Hex.Bytes(TsSamples.AacLc44100Stereo)));
        var packets = TsBytes.Packets(TsBytes.Audio(muxer, Hex.Bytes("DE0400"), 50));
        Assert.Equal(3, packets.Length);
        // Version 1 (C3), now listing the audio stream too.
        Assert.Equal(TsBytes.PaddedHex("475000110002b0170001c30000e100f0001be100f0000fe101f00000e2db21"), Hex.Of(packets[1]));

        // The same codec again changes nothing: no tables before the next frame.
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(Hex.Bytes(TsSamples.AacLc44100Stereo)));
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAvcConfig(Hex.Bytes(TsSamples.AvcRecord)));
        Assert.Single(TsBytes.Packets(TsBytes.Audio(muxer, Hex.Bytes("DE0400"), 60)));
    }

    [Fact]
    public void TheBoundCoversTheLargestFrame()
    {
        var muxer = AacMuxer();
        var frame = new byte[AdtsHeader.MaxPayloadLength];
        var bound = muxer.MaxAudioLength(frame.Length);
        var result = muxer.WriteAudio(new byte[bound], frame, 0);
        Assert.Equal(TsMuxStatus.Ok, result.Status);
        Assert.InRange(result.BytesWritten, 1, bound);
        Assert.Equal(0, muxer.MaxAudioLength(AdtsHeader.MaxPayloadLength + 1));
        Assert.Equal(0, new TsMuxer().MaxAudioLength(10));
    }

    internal static TsMuxer AacMuxer()
    {
        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(Hex.Bytes(TsSamples.AacLc44100Stereo)));
        return muxer;
    }
}
