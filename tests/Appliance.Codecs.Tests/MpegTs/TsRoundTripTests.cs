using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>Frames through the muxer and back through the demuxer come out as they went in.</summary>
public class TsRoundTripTests
{
    [Fact]
    public void H264AndAacFramesComeBackWithTheirTimestampsAndBytes()
    {
        var random = new Random(31337);
        var muxer = TsMuxerVideoTests.H264Muxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(Hex.Bytes(TsSamples.AacLc44100Stereo)));
        var ts = new List<byte>();
        var expected = new List<string>();
        long audioMs = 0;
        for (var frame = 0; frame < 60; frame++)
        {
            // 25 fps with B-frame style composition offsets, a keyframe every 25 frames.
            var dtsMs = 1000 + (frame * 40L);
            var cts = frame % 3 == 1 ? 80 : frame % 3 == 2 ? 0 : 40;
            var key = frame % 25 == 0;
            var slice = new byte[random.Next(1, 6000)];
            random.NextBytes(slice);
            slice[0] = (byte)(key ? 0x65 : 0x41);
            var sei = new byte[] { 0x06, 0x05, 0x01, 0xAA, 0x80 };
            var avcc = Avcc(sei, slice);
            ts.AddRange(TsBytes.Video(muxer, avcc, dtsMs, cts, key));
            var annexB = "0000000109F0" + (key ? "00000001" + TsSamples.Sps + "00000001" + TsSamples.Pps : string.Empty)
                + "00000001" + Hex.Of(sei) + "00000001" + Hex.Of(slice);
            annexB = annexB.ToUpperInvariant();
            expected.Add(Describe(TsMuxer.VideoPid, TsStreamType.H264, (dtsMs + cts) * 90, dtsMs * 90, key, annexB));

            while (audioMs <= dtsMs)
            {
                var aac = new byte[random.Next(1, 800)];
                random.NextBytes(aac);
                ts.AddRange(TsBytes.Audio(muxer, aac, audioMs));
                expected.Add(Describe(TsMuxer.AudioPid, TsStreamType.AacAdts, audioMs * 90, audioMs * 90, true, Adts(aac.Length) + Hex.Of(aac)));
                audioMs += 23;
            }
        }

        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(ts.ToArray(), demuxer);
        TsDemuxerTests.AssertNoErrors(demuxer);
        // Video units surface when the next one starts; compare each PID's sequence in order.
        foreach (var pid in new[] { TsMuxer.VideoPid, TsMuxer.AudioPid })
        {
            Assert.Equal(
                expected.Where(e => e.StartsWith($"{pid}/", StringComparison.Ordinal)),
                units.Where(u => u.Pid == pid).Select(u => Describe(u.Pid, u.StreamType, u.Pts, u.Dts, u.IsKeyFrame, Hex.Of(u.Payload.Span))));
        }
    }

    [Fact]
    public void HevcIrapPicturesComeBackAsKeyFramesWithoutTheFlag()
    {
        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetHevcConfig(Hex.Bytes(Hevc.HevcDecoderConfigurationRecordTests.Record1280x720)));
        // CRA (21) with the key flag lost, then TRAIL_R (1).
        var ts = TsBytes.Video(muxer, Hex.Bytes("00000003 2A01AA"), 0, key: false).Concat(TsBytes.Video(muxer, Hex.Bytes("00000003 0201BB"), 40)).ToArray();
        var units = TsBytes.Demux(ts);
        Assert.Equal([(true, TsStreamType.H265), (false, TsStreamType.H265)], units.Select(u => (u.IsKeyFrame, u.StreamType)));
        Assert.EndsWith("000000012A01AA", Hex.Of(units[0].Payload.Span));
    }

    [Fact]
    public void AnIdrIsAKeyFrameEvenWithoutTheRandomAccessIndicator()
    {
        // Hand-built: no adaptation flags, the IDR found by scanning the payload.
        var ts = TsPackets.Concat(TsPackets.Pat(), TsPackets.Pmt(0x100, [(0x1B, 0x100)]),
            TsPackets.Pes(0x100, 0, "000001E0000080800521000100010000000109F0 00000001 6588"),
            TsPackets.Pes(0x100, 1, "000001E0000080800521000100010000000109F0 00000001 4188"));
        var units = TsBytes.Demux(ts);
        Assert.Equal([true, false], units.Select(u => u.IsKeyFrame));
    }

    // LC, 44.1 kHz (index 4), stereo, as the AudioSpecificConfig 12 10 says.
    private static string Adts(int payloadLength)
    {
        var frameLength = payloadLength + 7;
        return Hex.Of([0xFF, 0xF1, 0x50, (byte)(0x80 | (frameLength >> 11)), (byte)(frameLength >> 3), (byte)(((frameLength & 7) << 5) | 0x1F), 0xFC]);
    }

    private static byte[] Avcc(params byte[][] units)
    {
        var bytes = new List<byte>();
        foreach (var unit in units)
        {
            bytes.AddRange([(byte)(unit.Length >> 24), (byte)(unit.Length >> 16), (byte)(unit.Length >> 8), (byte)unit.Length]);
            bytes.AddRange(unit);
        }
        return [.. bytes];
    }

    private static string Describe(int pid, TsStreamType type, long pts, long dts, bool key, string payload) =>
        $"{pid}/{type}/{pts}/{dts}/{key}/{payload}";
}
