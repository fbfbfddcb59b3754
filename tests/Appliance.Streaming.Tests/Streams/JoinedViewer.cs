using System.Buffers;
using System.Buffers.Binary;
using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>One frame as a player reads it back from a viewer's bytes, whatever the wire format.</summary>
internal sealed record ReadFrame(FrameKind Kind, long Dts, long Pts, byte[] Payload, bool IsKeyFrame = false)
{
    /// <summary>Audio or video that plays: not a sequence header, not script data.</summary>
    public bool IsMedia => Kind != FrameKind.Script && !(Payload.Length > 1 && (Kind == FrameKind.Video ? Payload[1] == 0 && Payload[0] >> 4 == 1 : Payload[0] >> 4 == 10 && Payload[1] == 0));

    public override string ToString() => $"{Kind}@{Dts}" + (Pts != Dts ? $"/{Pts}" : "");
}

/// <summary>
/// Collects what a viewer is sent (every collect until idle) and reads it back as one player of its
/// wire format would, across reads: FLV tags, RTMP messages (chunk size 4096, as the harness's
/// serializer), or TS access units (times in milliseconds), checking the bytes on the way (no bytes
/// left after the last RTMP message, no TS continuity error or malformed PES).
/// </summary>
internal sealed class JoinedViewer(StreamHarness h, Subscription viewer)
{
    public const int ChunkSize = 4096;

    private readonly RtmpChunkReader _rtmp = new() { ChunkSize = ChunkSize };
    private readonly TsDemuxer _ts = new();

    public Subscription Subscription => viewer;

    private long _continuityErrorsBefore;

    /// <summary>
    /// Collects until idle and reads the frames back. <paramref name="afterGap"/>: the viewer was
    /// moved past frames it was not sent (a skip, a resume), so TS counters may jump once.
    /// </summary>
    public List<ReadFrame> Read(bool afterGap = false)
    {
        var slices = CollectSlices(h, viewer);
        try
        {
            _continuityErrorsBefore = afterGap ? -1 : _ts.ContinuityErrors;
            return Parse(Bytes(slices));
        }
        finally
        {
            Release(slices);
        }
    }

    public List<ReadFrame> Parse(byte[] bytes) => viewer.Format switch
    {
        WireFormat.Flv => FlvTags.ParseTags(bytes).Select(t => Frame((FrameKind)t.Type, t.Timestamp, t.Payload)).ToList(),
        WireFormat.Rtmp => Rtmp(bytes),
        _ => Ts(bytes),
    };

    /// <summary>The slices of every collect until idle, each buffer still referenced by the copy returned.</summary>
    public static List<BufferSlice> CollectSlices(StreamHarness h, Subscription viewer)
    {
        var slices = new List<BufferSlice>();
        var batch = new OutputBatch();
        CollectResult result;
        do
        {
            result = h.Stream.Collect(viewer, batch);
            foreach (var slice in batch.Slices.Span)
            {
                slices.Add(new BufferSlice(slice.Buffer.AddRef(), slice.Offset, slice.Length));
            }
            batch.ReleaseAll();
        }
        while (result == CollectResult.More);
        return slices;
    }

    public static byte[] Bytes(IEnumerable<BufferSlice> slices)
    {
        var output = new MemoryStream();
        foreach (var slice in slices)
        {
            output.Write(slice.Span);
        }
        return output.ToArray();
    }

    public static void Release(IEnumerable<BufferSlice> slices)
    {
        foreach (var slice in slices)
        {
            slice.Buffer.Release();
        }
    }

    /// <summary>Video PTS from the tag's CompositionTime, the way FLV and RTMP players compute it.</summary>
    private static ReadFrame Frame(FrameKind kind, long timestamp, byte[] payload)
    {
        var cts = kind == FrameKind.Video && VideoTagInfo.TryParse(payload, out var info) ? info.CompositionTimeMs : 0;
        return new ReadFrame(kind, timestamp, timestamp + cts, payload, kind == FrameKind.Video && payload.Length > 0 && payload[0] >> 4 == 1);
    }

    private List<ReadFrame> Rtmp(byte[] bytes)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var frames = new List<ReadFrame>();
        while (_rtmp.TryReadMessage(ref reader, out var message))
        {
            Assert.Equal(FrameSerializer.ChunkStreamOf((FrameKind)message.TypeId), message.ChunkStreamId);
            Assert.Equal(FrameSerializer.PlayStreamId, message.StreamId);
            frames.Add(Frame((FrameKind)message.TypeId, message.Timestamp, message.Payload.Span.ToArray()));
            message.Payload.Release();
        }
        Assert.True(reader.Remaining == 0, $"{reader.Remaining} bytes after the last complete RTMP message");
        return frames;
    }

    // The last access unit of each PID is complete once the viewer's bytes end (each frame is its own PES).
    private List<ReadFrame> Ts(byte[] bytes)
    {
        _ts.Write(bytes);
        _ts.Flush();
        var frames = new List<ReadFrame>();
        while (_ts.TryRead(out var unit))
        {
            frames.Add(new ReadFrame(unit.Pid == TsMuxer.VideoPid ? FrameKind.Video : FrameKind.Audio, unit.Dts / 90, unit.Pts / 90, unit.Payload.ToArray(), unit.IsKeyFrame));
        }
        if (_continuityErrorsBefore >= 0)
        {
            Assert.Equal(_continuityErrorsBefore, _ts.ContinuityErrors);
        }
        Assert.Equal(0, _ts.MalformedPes);
        return frames;
    }

    /// <summary>The PCR of each video PES start in TS bytes, in milliseconds.</summary>
    public static List<long> VideoPcrs(byte[] ts)
    {
        var pcrs = new List<long>();
        for (var offset = 0; offset + TsPacket.Size <= ts.Length; offset += TsPacket.Size)
        {
            var packet = ts.AsSpan(offset, TsPacket.Size);
            var pid = ((packet[1] & 0x1F) << 8) | packet[2];
            if (pid == TsMuxer.VideoPid && (packet[1] & 0x40) != 0 && (packet[3] & 0x20) != 0 && (packet[5] & 0x10) != 0)
            {
                var pcr = ((long)BinaryPrimitives.ReadUInt32BigEndian(packet[6..]) << 1) | ((long)packet[10] >> 7);
                pcrs.Add(pcr / 90);
            }
        }
        return pcrs;
    }
}
