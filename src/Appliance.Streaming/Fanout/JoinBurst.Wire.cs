using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Fanout;

// A burst frame on the wire: the viewer's own header with the new time, then the frame's shared bytes.
internal sealed partial class JoinBurst
{
    /// <summary>The bytes of the viewer's own headers <paramref name="frame"/> needs in this format; 0 when it goes unchanged or not at all.</summary>
    private int OwnHeaderBytes(MediaFrame frame)
    {
        if (frame.Kind == FrameKind.Audio)
        {
            return 0;
        }
        switch (_format)
        {
            case WireFormat.Flv:
                return FlvWriter.TagHeaderLength + PrefixLength(frame);
            case WireFormat.Rtmp:
                var chunkSize = _serializer.RtmpChunkSize;
                var chunks = Math.Max(1, (frame.Payload.Length + chunkSize - 1) / chunkSize);
                // Basic header, fmt 0 header, extended time; then a basic header and the extended time per further chunk.
                return 1 + 11 + 4 + PrefixLength(frame) + ((chunks - 1) * 5);
            default:
                return frame.Kind == FrameKind.Video && frame.IsMedia && frame.HasTs ? TsPacket.Size : 0;
        }
    }

    /// <summary>
    /// The part of the payload copied to rewrite the CompositionTime (the video tag header up to
    /// it), or 0 when the frame has none or the header does not fit the first RTMP chunk.
    /// </summary>
    private int PrefixLength(MediaFrame frame)
    {
        if (frame.Kind != FrameKind.Video || !frame.IsMedia || !VideoTagInfo.TryParse(frame.Payload.Span, out var info) || !info.HasCompositionTime)
        {
            return 0;
        }
        return info.HeaderLength <= frame.Payload.Length && info.HeaderLength <= _serializer.RtmpChunkSize ? info.HeaderLength : 0;
    }

    private SharedBuffer? WireOf(MediaFrame frame) =>
        _format == WireFormat.Ts ? frame.PackagedTs : frame.GetWire(_format, _serializer);

    /// <summary>A dropped audio frame's TS packets may open with the PAT and PMT: those go, so the tables' counters stay continuous.</summary>
    private void AddTablesOnly(MediaFrame frame, OutputBatch batch)
    {
        if (_format != WireFormat.Ts || frame.PackagedTs is not { } wire)
        {
            return;
        }
        var pes = TsPesRestamp.FindPesStart(wire.Span);
        if (pes > 0)
        {
            batch.AddSlice(wire, 0, pes);
        }
    }

    /// <summary>Adds <paramref name="frame"/> at <paramref name="dts"/>; false when it has no bytes in this format.</summary>
    private bool AddRestamped(MediaFrame frame, long dts, int compositionTime, OutputBatch batch)
    {
        var wire = WireOf(frame);
        if (wire is null)
        {
            return false;
        }
        var own = OwnHeaderBytes(frame);
        if (_arena is null || _arenaUsed + own > _arena.Capacity)
        {
            // Sized at planning for every frame of the burst; a frame beyond it goes as it is.
            batch.Add(wire);
            return true;
        }
        switch (_format)
        {
            case WireFormat.Flv:
                AddFlv(frame, wire, dts, compositionTime, batch);
                break;
            case WireFormat.Rtmp:
                AddRtmp(frame, wire, dts, compositionTime, batch);
                break;
            default:
                AddTs(wire, dts, dts + compositionTime, batch);
                break;
        }
        return true;
    }

    private void AddFlv(MediaFrame frame, SharedBuffer wire, long dts, int compositionTime, OutputBatch batch)
    {
        var prefix = PrefixLength(frame);
        var own = FlvWriter.TagHeaderLength + prefix;
        var header = _arena!.FullSpan.Slice(_arenaUsed, own);
        wire.Span[..own].CopyTo(header);
        FlvWriter.WriteTagTimestamp(header, unchecked((uint)dts));
        if (prefix > 0)
        {
            FlvWriter.WriteCompositionTime(header[(own - 3)..], compositionTime);
        }
        AddOwn(own, batch);
        batch.AddSlice(wire, own, wire.Length - own);
    }

    /// <summary>
    /// RTMP: a new first-chunk header (fmt 0, so the chunk stream carries no state from before into
    /// the live frames after it), the payload's first chunk, and the further chunks. Their fmt 3
    /// headers repeat the timestamp only when it is extended (at or above 0xFFFFFF): then each is the
    /// viewer's own; otherwise they are one byte the same for every viewer, and go with the payload.
    /// </summary>
    private void AddRtmp(MediaFrame frame, SharedBuffer wire, long dts, int compositionTime, OutputBatch batch)
    {
        var chunkStream = FrameSerializer.ChunkStreamOf(frame.Kind);
        var chunkSize = _serializer.RtmpChunkSize;
        var payload = frame.Payload.Span;
        var original = unchecked((uint)frame.Timestamp);
        var stamp = unchecked((uint)dts);
        var prefix = PrefixLength(frame);
        var originalFirst = RtmpChunkWriter.FirstHeaderLength(chunkStream, original);
        var originalContinuation = RtmpChunkWriter.ContinuationHeaderLength(chunkStream, original);
        var firstPiece = Math.Min(chunkSize, payload.Length);

        var header = _arena!.FullSpan[_arenaUsed..];
        var own = RtmpChunkWriter.WriteFirstHeader(header, chunkStream, stamp, (byte)frame.Kind, FrameSerializer.PlayStreamId, payload.Length);
        if (prefix > 0)
        {
            payload[..prefix].CopyTo(header[own..]);
            FlvWriter.WriteCompositionTime(header.Slice(own + prefix - 3, 3), compositionTime);
            own += prefix;
        }
        AddOwn(own, batch);
        batch.AddSlice(wire, originalFirst + prefix, firstPiece - prefix);
        if (payload.Length <= firstPiece)
        {
            return;
        }
        var offset = originalFirst + firstPiece;
        if (!RtmpChunkWriter.IsExtended(original) && !RtmpChunkWriter.IsExtended(stamp))
        {
            batch.AddSlice(wire, offset, wire.Length - offset);
            return;
        }
        for (var sent = firstPiece; sent < payload.Length; sent += chunkSize)
        {
            var piece = Math.Min(chunkSize, payload.Length - sent);
            AddOwn(RtmpChunkWriter.WriteContinuationHeader(_arena.FullSpan[_arenaUsed..], chunkStream, stamp), batch);
            batch.AddSlice(wire, offset + originalContinuation, piece);
            offset += originalContinuation + piece;
        }
    }

    /// <summary>TS: the packets before the PES (PAT, PMT) and after its first packet are shared; the first is copied with the new PCR, PTS and DTS.</summary>
    private void AddTs(SharedBuffer wire, long dts, long pts, OutputBatch batch)
    {
        var pes = TsPesRestamp.FindPesStart(wire.Span);
        if (pes < 0)
        {
            batch.Add(wire);
            return;
        }
        var packet = _arena!.FullSpan.Slice(_arenaUsed, TsPacket.Size);
        wire.Span.Slice(pes, TsPacket.Size).CopyTo(packet);
        TsPesRestamp.TryRestamp(packet, TsTimestamp.FromMilliseconds(pts), TsTimestamp.FromMilliseconds(dts));
        batch.AddSlice(wire, 0, pes);
        AddOwn(TsPacket.Size, batch);
        batch.AddSlice(wire, pes + TsPacket.Size, wire.Length - pes - TsPacket.Size);
    }

    /// <summary>Adds the <paramref name="length"/> bytes just written at the arena's end.</summary>
    private void AddOwn(int length, OutputBatch batch)
    {
        _arena!.Length = _arenaUsed + length;
        batch.AddSlice(_arena, _arenaUsed, length);
        _arenaUsed += length;
    }
}
