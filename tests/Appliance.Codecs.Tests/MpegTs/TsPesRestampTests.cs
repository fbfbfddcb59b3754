using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class TsPesRestampTests
{
    [Fact]
    public void ACopyOfTheFirstPesPacketWithNewTimesIsTheSameFrameAtThoseTimes()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var frame = IdrFrame(1500);
        var ts = TsBytes.Video(muxer, frame, dtsMs: 1000, ctsMs: 40, key: true);

        var restamped = Restamped(ts, ptsMs: 20_041, dtsMs: 20_000, out var pes);

        Assert.Equal(2 * TsPacket.Size, pes);
        var unit = Assert.Single(TsBytes.Demux(restamped));
        Assert.Equal(20_041 * 90L, unit.Pts);
        Assert.Equal(20_000 * 90L, unit.Dts);
        Assert.Equal(20_000 * 90L, Pcr(restamped.AsSpan(pes, TsPacket.Size)));
        Assert.Equal(Assert.Single(TsBytes.Demux(ts)).Payload.ToArray(), unit.Payload.ToArray());
        // Only the PES's first packet differs: tables and the rest are the shared bytes.
        Assert.Equal(ts[..pes], restamped[..pes]);
        Assert.Equal(ts[(pes + TsPacket.Size)..], restamped[(pes + TsPacket.Size)..]);
    }

    [Fact]
    public void KeepsContinuityCountersAndTheHeaderLength()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var first = TsBytes.Video(muxer, IdrFrame(400), dtsMs: 0, key: true);
        var second = TsBytes.Video(muxer, Hex.Bytes("00000005419A20268B"), dtsMs: 40);
        var demuxer = new TsDemuxer();

        var units = TsBytes.Demux([.. Restamped(first, 7, 7, out _), .. Restamped(second, 8, 8, out _)], demuxer);

        Assert.Equal(0, demuxer.ContinuityErrors);
        Assert.Equal(0, demuxer.MalformedPes);
        Assert.Equal([7 * 90L, 8 * 90L], units.Select(u => u.Pts));
        // PTS alone (it equals DTS): a 14-byte header, as before.
        Assert.Equal(units.Select(u => u.Pts), units.Select(u => u.Dts));
    }

    [Fact]
    public void TimesWrapAt33Bits()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var ts = TsBytes.Video(muxer, IdrFrame(100), dtsMs: 0, ctsMs: 40, key: true);
        var ms = (1L << 33) / 90 + 5;

        var unit = Assert.Single(TsBytes.Demux(Restamped(ts, ms + 40, ms, out _)));

        Assert.Equal((ms * 90) & TsTimestamp.Mask, unit.Dts);
        Assert.Equal(((ms + 40) * 90) & TsTimestamp.Mask, unit.Pts);
    }

    [Fact]
    public void AnAudioPesWithoutPcrGetsItsPtsOnly()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig([0x12, 0x10]));
        var video = TsBytes.Video(muxer, IdrFrame(100), dtsMs: 0, key: true);
        var ts = TsBytes.Audio(muxer, new byte[50], ptsMs: 23);

        var restamped = Restamped(ts, 99, 99, out var pes);

        var units = TsBytes.Demux([.. video, .. restamped]);
        Assert.Equal(99 * 90L, units.Single(u => u.Pid == TsMuxer.AudioPid).Pts);
        Assert.Equal(ts[..pes], restamped[..pes]);
    }

    [Fact]
    public void RefusesPacketsThatStartNoPes()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var ts = TsBytes.Video(muxer, IdrFrame(1500), dtsMs: 0, key: true);
        var packets = TsBytes.Packets(ts);

        foreach (var packet in new[] { packets[0], packets[1], packets[3] })
        {
            var copy = packet.ToArray();
            Assert.False(TsPesRestamp.TryRestamp(copy, 1, 1));
            Assert.Equal(packet, copy);
        }
        Assert.Equal(-1, TsPesRestamp.FindPesStart(ts.AsSpan(0, 2 * TsPacket.Size)));
        Assert.Equal(-1, TsPesRestamp.FindPesStart(new byte[TsPacket.Size]));
        Assert.Equal(-1, TsPesRestamp.FindPesStart(ts.AsSpan(0, 100)));
    }

    private static byte[] IdrFrame(int size)
    {
        var frame = new byte[4 + size];
        frame[0] = (byte)(size >> 24);
        frame[1] = (byte)(size >> 16);
        frame[2] = (byte)(size >> 8);
        frame[3] = (byte)size;
        frame[4] = 0x65;
        for (var i = 5; i < frame.Length; i++)
        {
            frame[i] = (byte)(0x80 | i);
        }
        return frame;
    }

    private static byte[] Restamped(byte[] ts, long ptsMs, long dtsMs, out int pes)
    {
        var copy = ts.ToArray();
        pes = TsPesRestamp.FindPesStart(copy);
        Assert.True(pes >= 0);
        Assert.True(TsPesRestamp.TryRestamp(copy.AsSpan(pes, TsPacket.Size), TsTimestamp.FromMilliseconds(ptsMs), TsTimestamp.FromMilliseconds(dtsMs)));
        return copy;
    }

    private static long Pcr(ReadOnlySpan<byte> packet)
    {
        Assert.True((packet[5] & 0x10) != 0, "the packet has no PCR");
        return ((long)packet[6] << 25) | ((long)packet[7] << 17) | ((long)packet[8] << 9) | ((long)packet[9] << 1) | ((long)packet[10] >> 7);
    }
}
