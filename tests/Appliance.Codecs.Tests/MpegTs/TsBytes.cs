using Appliance.Codecs.MpegTs;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>Helpers to look at muxer output packet by packet.</summary>
internal static class TsBytes
{
    public static byte[][] Packets(ReadOnlySpan<byte> ts)
    {
        Assert.Equal(0, ts.Length % TsPacket.Size);
        var packets = new byte[ts.Length / TsPacket.Size][];
        for (var i = 0; i < packets.Length; i++)
        {
            packets[i] = ts.Slice(i * TsPacket.Size, TsPacket.Size).ToArray();
        }
        return packets;
    }

    public static int Pid(byte[] packet) => ((packet[1] & 0x1F) << 8) | packet[2];

    public static int Counter(byte[] packet) => packet[3] & 0x0F;

    public static bool UnitStart(byte[] packet) => (packet[1] & 0x40) != 0;

    /// <summary>A packet given as hex, padded with 0xFF to 188 bytes, for PSI and stuffing.</summary>
    public static string PaddedHex(string hex)
    {
        var bytes = Support.Hex.Bytes(hex);
        var packet = new byte[TsPacket.Size];
        packet.AsSpan().Fill(0xFF);
        bytes.CopyTo(packet, 0);
        return Convert.ToHexString(packet);
    }

    /// <summary><paramref name="count"/> stuffing bytes as hex.</summary>
    public static string Stuffing(int count) => string.Concat(Enumerable.Repeat("FF", count));

    /// <summary>Muxes into a fresh buffer sized by the muxer's bound and returns exactly what was written.</summary>
    public static byte[] Video(TsMuxer muxer, ReadOnlySpan<byte> frame, long dtsMs, int ctsMs = 0, bool key = false)
    {
        var buffer = new byte[Math.Max(muxer.MaxVideoLength(frame.Length), 1)];
        var result = muxer.WriteVideo(buffer, frame, dtsMs, ctsMs, key);
        Assert.Equal(TsMuxStatus.Ok, result.Status);
        Assert.Equal(0, result.BytesWritten % TsPacket.Size);
        return buffer[..result.BytesWritten];
    }

    public static byte[] Audio(TsMuxer muxer, ReadOnlySpan<byte> frame, long ptsMs)
    {
        var buffer = new byte[Math.Max(muxer.MaxAudioLength(frame.Length), 1)];
        var result = muxer.WriteAudio(buffer, frame, ptsMs);
        Assert.Equal(TsMuxStatus.Ok, result.Status);
        Assert.Equal(0, result.BytesWritten % TsPacket.Size);
        return buffer[..result.BytesWritten];
    }

    public static List<TsAccessUnit> Demux(ReadOnlySpan<byte> ts, TsDemuxer? demuxer = null)
    {
        demuxer ??= new TsDemuxer();
        demuxer.Write(ts);
        demuxer.Flush();
        var units = new List<TsAccessUnit>();
        while (demuxer.TryRead(out var unit))
        {
            units.Add(unit);
        }
        return units;
    }
}
