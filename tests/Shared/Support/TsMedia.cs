using System.Buffers.Binary;
using Appliance.Codecs.MpegTs;
using Appliance.Streaming.Media;

namespace Appliance.Tests.Support;

/// <summary>
/// Frames the MPEG-TS muxer accepts: the real AVC sequence header from <see cref="Payloads"/>
/// (4-byte NAL lengths) and coded frames that are well-formed length-prefixed NAL units (an IDR
/// slice for keyframes, a non-IDR slice otherwise). The generic <see cref="Frames"/> payloads
/// are filler after the FLV header, which the muxer rightly refuses.
/// </summary>
internal static class TsMedia
{
    /// <summary>AAC-LC 44.1 kHz: 1024 samples a frame.</summary>
    public const double AacFrameMs = 1024 * 1000.0 / 44100;

    public static MediaFrame KeyFrame(Frames frames, long ts, int size = 600) =>
        frames.Make(FrameKind.Video, ts, FrameFlags.KeyFrame, AvcFrame(key: true, size, (byte)(ts / 40)));

    public static MediaFrame InterFrame(Frames frames, long ts, int size = 120) =>
        frames.Make(FrameKind.Video, ts, FrameFlags.None, AvcFrame(key: false, size, (byte)(ts / 40)));

    public static MediaFrame Audio(Frames frames, long ts, int size = 60) =>
        frames.Make(FrameKind.Audio, ts, FrameFlags.None, Payloads.AacRaw(size, (byte)ts));

    /// <summary>The same SPS, a different PPS: a new codec configuration the muxer still accepts.</summary>
    public static MediaFrame OtherAvcSequenceHeader(Frames frames, long ts)
    {
        var header = Payloads.AvcSequenceHeader();
        header[^1] ^= 0x08;
        return frames.Make(FrameKind.Video, ts, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, header);
    }

    /// <summary>An inter frame whose NAL length prefix claims far more bytes than the frame has.</summary>
    public static MediaFrame BadNalLengthFrame(Frames frames, long ts)
    {
        var payload = AvcFrame(key: false, 40, 9);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(5), 0x00FF_FFFF);
        return frames.Make(FrameKind.Video, ts, FrameFlags.None, payload);
    }

    /// <summary>An FLV AVC NALU tag body: header, CompositionTime 0, one NAL unit of <paramref name="size"/> bytes.</summary>
    public static byte[] AvcFrame(bool key, int size, byte seed)
    {
        var nal = Math.Max(size, 2);
        var bytes = new byte[5 + 4 + nal];
        bytes[0] = key ? (byte)0x17 : (byte)0x27;
        bytes[1] = 0x01;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(5), nal);
        bytes[9] = key ? (byte)0x65 : (byte)0x41;
        for (var i = 10; i < bytes.Length; i++)
        {
            // Never zero, so the Annex-B body holds no accidental start code.
            bytes[i] = (byte)(0x80 | ((seed * 31) + (i * 7)));
        }
        return bytes;
    }

    /// <summary>Every access unit in <paramref name="ts"/>, read by the project's own demuxer.</summary>
    public static (List<TsAccessUnit> Units, TsDemuxer Demuxer) Demux(ReadOnlySpan<byte> ts)
    {
        var demuxer = new TsDemuxer();
        demuxer.Write(ts);
        demuxer.Flush();
        var units = new List<TsAccessUnit>();
        while (demuxer.TryRead(out var unit))
        {
            units.Add(unit);
        }
        return (units, demuxer);
    }

    /// <summary>True when the bytes start with a TS packet carrying the start of a PAT section.</summary>
    public static bool StartsWithPat(ReadOnlySpan<byte> ts) =>
        ts.Length >= TsPacket.Size && ts[0] == TsPacket.SyncByte && (ts[1] & 0x40) != 0 && (((ts[1] & 0x1F) << 8) | ts[2]) == TsPacket.PatPid;
}
