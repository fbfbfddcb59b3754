using System.Buffers;
using System.Runtime.ExceptionServices;
using Appliance.Codecs.Amf0;
using Appliance.Codecs.Flv;
using Appliance.Core.Buffers;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Seeds;
using Appliance.Protocols.Rtmp;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// The chunk stream after the handshake, handled as the server session does: chunk reader, then
/// per message Set Chunk Size, Abort, window and user control, AMF0 commands and data, media tag
/// headers. Driven twice, in one piece and in the pieces of <see cref="Pieces"/>: the messages must
/// be the same, BytesRead must match what was consumed, and every payload must go back to the pool.
/// Refusal: <see cref="RtmpProtocolException"/>.
/// </summary>
public sealed class RtmpChunkTarget : FuzzTarget, IStructuredMutator
{
    // The config default (rtmp.maxMessageBytes).
    private const int MaxMessageBytes = 8 * 1024 * 1024;
    private const int TightMessageBytes = 300;
    private const int TightChunkStreams = 4;

    public override string Name => "rtmp-chunk";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Rtmp.PublishSession(128);
        yield return Rtmp.PublishSession(4096);
        yield return Rtmp.PlaySession();
        yield return Rtmp.HeaderForms();
        yield return Rtmp.Aggregate();
        yield return Rtmp.ChunkSizes();
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0], [0x03], [0x43], [0x83], [0xC3], [0xC4], [0xC6], [0x00], [0x01], [0x3F], [0x40], [0x41],
        [0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0x00, 0x10, 0x00, 0x00], [0x02, 0x00, 0x07], "connect"u8.ToArray(),
        "publish"u8.ToArray(), "@setDataFrame"u8.ToArray(), [0x14], [0x12], [0x08], [0x09], [0x16], [0x11],
    ];

    public byte[]? Mutate(byte[] input, Prng rng) => Structured.Rtmp(input, rng, Dictionary);

    public override bool IsExpected(Exception exception) => exception is RtmpProtocolException;

    public override void Run(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        var outstanding = BufferPool.Shared.Outstanding;
        var whole = new Transcript();
        var wholeError = Drive(data, [data.Length], whole, feedback: true);
        var pieces = new Transcript();
        Drive(data, Pieces.Cuts(data), pieces, feedback: false);
        // Tight limits, so the size and chunk-stream checks and the partial-message bound are reached by small inputs.
        Drive(data, Pieces.Cuts(data), new Transcript(), feedback: false, TightMessageBytes, TightChunkStreams);
        FuzzInvariantException.Check(BufferPool.Shared.Outstanding == outstanding,
            $"buffer leak: {BufferPool.Shared.Outstanding - outstanding} pooled buffers not returned after Reset");
        Transcript.AssertSame(whole, pieces, "rtmp chunk stream");
        if (wholeError is not null)
        {
            ExceptionDispatchInfo.Throw(wholeError);
        }
    }

    private static RtmpProtocolException? Drive(byte[] data, int[] arrivals, Transcript transcript, bool feedback,
        int maxMessageBytes = MaxMessageBytes, int maxChunkStreams = 64)
    {
        var chunks = new RtmpChunkReader(maxMessageBytes, maxChunkStreams);
        long consumed = 0;
        try
        {
            foreach (var available in arrivals)
            {
                var reader = new SequenceReader<byte>(Pieces.Sequence(data, (int)consumed, available, arrivals));
                try
                {
                    while (chunks.TryReadMessage(ref reader, out var message))
                    {
                        try
                        {
                            Handle(chunks, message, transcript, feedback, maxMessageBytes);
                        }
                        finally
                        {
                            message.Payload.Release();
                        }
                    }
                }
                finally
                {
                    consumed += reader.Consumed;
                }
                FuzzInvariantException.Check(chunks.BytesRead == consumed,
                    $"bytes read: BytesRead {chunks.BytesRead} but {consumed} bytes were consumed");
            }
            return null;
        }
        catch (RtmpProtocolException e)
        {
            transcript.Add("error", e.Message);
            return e;
        }
        finally
        {
            chunks.Reset();
        }
    }

    // The message handling of RtmpServerConnection.HandleMessage, minus the replies and the node behind it.
    private static void Handle(RtmpChunkReader chunks, in RtmpMessage message, Transcript transcript, bool feedback, int maxMessageBytes)
    {
        var payload = message.Payload.Span;
        FuzzInvariantException.Check(payload.Length <= maxMessageBytes,
            $"message length: {payload.Length} bytes, limit {maxMessageBytes}");
        transcript.Add("message", message.TypeId, message.Timestamp, ((long)message.StreamId << 32) | (uint)message.ChunkStreamId);
        transcript.Add("payload", payload);
        if (feedback)
        {
            Feedback.Note("type", message.TypeId);
            Feedback.NoteSize("length", payload.Length);
            Feedback.Note("csid", message.ChunkStreamId < 64 ? message.ChunkStreamId : message.ChunkStreamId < 320 ? 64 : 320);
            Feedback.Note("time", message.Timestamp >= 0xFFFFFF ? 2 : message.Timestamp > 0 ? 1 : 0);
        }
        switch (message.TypeId)
        {
            case RtmpMessageType.SetChunkSize:
                chunks.ChunkSize = RtmpControl.ReadSetChunkSize(payload);
                Feedback.NoteSize("chunk size", chunks.ChunkSize);
                break;
            case RtmpMessageType.Abort:
                chunks.Abort((int)RtmpControl.ReadUInt32(payload, "abort"));
                break;
            case RtmpMessageType.Acknowledgement:
            case RtmpMessageType.SetPeerBandwidth:
            case RtmpMessageType.DataAmf3:
            case RtmpMessageType.SharedObjectAmf0:
            case RtmpMessageType.SharedObjectAmf3:
                break;
            case RtmpMessageType.WindowAckSize:
                RtmpControl.ReadUInt32(payload, "window acknowledgement size");
                break;
            case RtmpMessageType.UserControl:
                Feedback.Note("user control", RtmpControl.ReadUserControl(payload, out _));
                break;
            case RtmpMessageType.Audio:
                var audio = AudioTagInfo.TryParse(payload, out var audioInfo);
                Feedback.Note("audio", audio ? (long)audioInfo.Format << 8 | (audioInfo.IsSequenceHeader ? 1L : 0) : -1);
                break;
            case RtmpMessageType.Video:
                var video = VideoTagInfo.TryParse(payload, out var videoInfo);
                Feedback.Note("video", video ? (long)videoInfo.Codec << 16 | (long)videoInfo.Kind << 8 | (long)videoInfo.FrameType : -1);
                break;
            case RtmpMessageType.DataAmf0:
                ReadData(payload, transcript);
                break;
            case RtmpMessageType.Aggregate:
                Feedback.NoteSize("aggregate", payload.Length);
                break;
            case RtmpMessageType.CommandAmf0:
                Command(payload, transcript);
                break;
            case RtmpMessageType.CommandAmf3:
                if (!payload.IsEmpty)
                {
                    Command(payload[1..], transcript);
                }
                break;
            default:
                throw new RtmpProtocolException($"unknown message type {message.TypeId}");
        }
    }

    private static void Command(ReadOnlySpan<byte> payload, Transcript transcript)
    {
        var command = RtmpCommand.Decode(payload);
        transcript.Add("command", command.Name);
        Feedback.Note("command", command.Name.Length <= 16 ? (long)Fnv.Hash(command.Name) : 0);
        Feedback.NoteSize("arguments", command.Arguments.Count);
    }

    private static void ReadData(ReadOnlySpan<byte> payload, Transcript transcript)
    {
        try
        {
            var offset = 0;
            var first = Amf0Reader.ReadValue(payload, ref offset);
            transcript.Add("data", first.Kind.ToString());
            if (offset < payload.Length)
            {
                Feedback.NoteSize("data values", Amf0Reader.ReadAll(payload[offset..]).Count);
            }
        }
        catch (Amf0FormatException e)
        {
            // The session turns this into a protocol error that closes the connection.
            throw new RtmpProtocolException($"bad AMF0 in data message: {e.Message}");
        }
    }
}
