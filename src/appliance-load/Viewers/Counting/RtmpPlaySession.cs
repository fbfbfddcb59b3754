using System.Buffers;
using Appliance.Codecs.Amf0;
using Appliance.Load.Targets;
using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Viewers.Counting;

/// <summary>
/// One RTMP player's conversation after the handshake, driven by what <see cref="RtmpChunkCounter"/>
/// reports: connect, createStream, play and Set Buffer Length, the same messages as the node's own
/// <see cref="RtmpClient"/> sends; then media is counted into the viewer's stats, acknowledgements
/// and ping responses are queued for the read loop to send. A refusal or a malformed stream throws
/// <see cref="RtmpProtocolException"/> (or its <see cref="RtmpStatusException"/>) with the server's words.
/// </summary>
internal sealed class RtmpPlaySession : IRtmpCountSink, ILiveConsumer
{
    private const int OutgoingChunkSize = 4096;
    private const uint OurWindowAckSize = 2_500_000;
    private const int PlayBufferMilliseconds = 1000;
    private const int StreamCommandChunkStream = 8;
    private const double ConnectTransaction = 1;
    private const double CreateStreamTransaction = 2;
    private const double PlayTransaction = 3;

    private readonly StreamUrl _url;
    private readonly ViewerStats? _stats;
    private readonly RtmpChunkCounter _chunks;
    private ArrayBufferWriter<byte>? _outgoing;
    private int _outChunkSize = RtmpChunkReader.DefaultChunkSize;
    private Phase _phase;
    private uint _streamId;
    private uint _serverWindowAckSize;
    private long _lastAcknowledged;

    private enum Phase
    {
        Connecting,
        CreatingStream,
        Starting,
        Playing,
    }

    /// <param name="stats">The viewer told about each media message; null counts only (tests).</param>
    public RtmpPlaySession(StreamUrl url, ViewerStats? stats)
    {
        _url = url;
        _stats = stats;
        _chunks = new RtmpChunkCounter(this, stats?.Latency is null ? FlvTagCounter.VideoHeadBytes : GlassToGlass.FrameHeadBytes);
    }

    /// <summary>The server sent Stream EOF (the publisher left); cleared by Stream Begin.</summary>
    public bool StreamEofReceived { get; private set; }

    public bool Playing => _phase == Phase.Playing;

    public long VideoFrames { get; private set; }

    public long KeyFrames { get; private set; }

    /// <summary>Bytes after the handshake.</summary>
    public long Bytes => _chunks.Bytes;

    public ReadOnlyMemory<byte> Outgoing => _outgoing?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>C2 (the echo of S1) and connect, to go out in one write.</summary>
    public void Start(ReadOnlySpan<byte> s1)
    {
        var writer = Writer();
        RtmpHandshake.WriteClientAck(s1, writer.GetSpan(RtmpHandshake.PacketSize));
        writer.Advance(RtmpHandshake.PacketSize);
        var commandObject = Amf0Value.Object(
            Amf0Value.Prop("app", _url.App),
            Amf0Value.Prop("type", "nonprivate"),
            Amf0Value.Prop("flashVer", RtmpClient.FlashVersion),
            Amf0Value.Prop("tcUrl", _url.TcUrl),
            Amf0Value.Prop("fpad", false),
            Amf0Value.Prop("capabilities", 15),
            Amf0Value.Prop("audioCodecs", 3191),
            Amf0Value.Prop("videoCodecs", 252),
            Amf0Value.Prop("videoFunction", 1));
        Command(RtmpCommand.ChunkStreamId, 0, "connect", ConnectTransaction, commandObject);
    }

    public bool Consume(ReadOnlyMemory<byte> data)
    {
        _chunks.Feed(data.Span);
        if (_stats is not null)
        {
            _stats.Bytes = RtmpHandshake.ServerResponseSize + _chunks.Bytes;
        }
        AcknowledgeIfDue();
        return false;
    }

    public void Sent()
    {
        // Once playing, replies are rare: the setup's buffer (C2 and connect, about 2 KB) is not kept per viewer.
        if (_phase == Phase.Playing)
        {
            _outgoing = null;
        }
        else
        {
            _outgoing!.ResetWrittenCount();
        }
    }

    public void OnMedia(byte typeId, uint timestamp, int length, ReadOnlySpan<byte> head)
    {
        var keyFrame = false;
        var videoFrame = typeId == RtmpMessageType.Video && VideoFrameCheck.IsCodedFrame(head, out keyFrame);
        if (videoFrame)
        {
            VideoFrames++;
            KeyFrames += keyFrame ? 1 : 0;
            _stats?.Latency?.OnFrame(head);
        }
        _stats?.OnMedia(videoFrame, keyFrame);
    }

    public void OnMessage(byte typeId, uint streamId, ReadOnlySpan<byte> payload)
    {
        switch (typeId)
        {
            case RtmpMessageType.WindowAckSize:
                _serverWindowAckSize = RtmpControl.ReadUInt32(payload, "Window Acknowledgement Size");
                break;
            case RtmpMessageType.UserControl:
                OnUserControl(payload);
                break;
            case RtmpMessageType.CommandAmf0:
                OnCommand(RtmpCommand.Decode(payload));
                break;
            case RtmpMessageType.CommandAmf3 when payload.Length > 0:
                // An AMF3 command is AMF0 behind a leading format byte.
                OnCommand(RtmpCommand.Decode(payload[1..]));
                break;
        }
    }

    private void OnUserControl(ReadOnlySpan<byte> payload)
    {
        switch (RtmpControl.ReadUserControl(payload, out var value))
        {
            case UserControlEvent.StreamEof:
                StreamEofReceived = true;
                break;
            case UserControlEvent.StreamBegin:
                StreamEofReceived = false;
                break;
            case UserControlEvent.PingRequest:
                var writer = Writer();
                writer.Advance(RtmpControl.WritePingResponse(writer.GetSpan(RtmpControl.MaxControlLength), value));
                break;
        }
    }

    private void OnCommand(RtmpCommandMessage command)
    {
        switch (_phase)
        {
            case Phase.Connecting when IsAnswer(command, ConnectTransaction):
                var writer = Writer();
                var control = writer.GetSpan(2 * RtmpControl.MaxControlLength);
                var length = RtmpControl.WriteWindowAckSize(control, OurWindowAckSize);
                length += RtmpControl.WriteSetChunkSize(control[length..], OutgoingChunkSize);
                writer.Advance(length);
                _outChunkSize = OutgoingChunkSize;
                Command(RtmpCommand.ChunkStreamId, 0, "createStream", CreateStreamTransaction, null);
                _phase = Phase.CreatingStream;
                break;
            case Phase.CreatingStream when IsAnswer(command, CreateStreamTransaction):
                if (command.FirstArgument is not { Kind: Amf0Kind.Number } id || id.Number < 1 || id.Number > uint.MaxValue)
                {
                    throw new RtmpProtocolException("createStream answered without a valid stream id.");
                }
                _streamId = (uint)id.Number;
                _stats?.OnRequest();
                Command(StreamCommandChunkStream, _streamId, "play", PlayTransaction, null,
                    Amf0Value.FromString(_url.StreamName), Amf0Value.FromNumber(-2000));
                var buffer = Writer();
                buffer.Advance(RtmpControl.WriteSetBufferLength(buffer.GetSpan(RtmpControl.MaxControlLength), _streamId, PlayBufferMilliseconds));
                _phase = Phase.Starting;
                break;
            case Phase.Starting:
                OnPlayStatus(command);
                break;
        }
    }

    /// <summary>_result of <paramref name="transaction"/> (true); its _error throws with the server's description.</summary>
    private static bool IsAnswer(RtmpCommandMessage command, double transaction)
    {
        if (command.TransactionId != transaction)
        {
            return false;
        }
        if (command.Name == "_error")
        {
            var info = command.FirstArgument ?? command.CommandObject;
            var description = info?.GetString("description") ?? info?.GetString("code") ?? "no description";
            throw new RtmpProtocolException($"The server refused: {description} (transaction {transaction}).");
        }
        return command.Name == "_result";
    }

    private void OnPlayStatus(RtmpCommandMessage command)
    {
        if (command.Name == "_error")
        {
            var info = command.FirstArgument ?? command.CommandObject;
            throw new RtmpStatusException(info?.GetString("code") ?? "_error", info?.GetString("description"));
        }
        if (command.Name != "onStatus")
        {
            return;
        }
        // Some servers put the info object in the command object slot rather than the first argument.
        var status = command.FirstArgument is { IsObjectLike: true } first ? first
            : command.CommandObject is { IsObjectLike: true } fallback ? fallback
            : null;
        var code = status?.GetString("code");
        if (code == "NetStream.Play.Start")
        {
            _phase = Phase.Playing;
            _stats?.OnPlaying();
            return;
        }
        var level = status?.GetString("level");
        if (code is not null && (level == "error" || code.EndsWith(".StreamNotFound", StringComparison.Ordinal)
            || code.EndsWith(".Failed", StringComparison.Ordinal) || code.EndsWith(".BadName", StringComparison.Ordinal)
            || code.EndsWith(".Rejected", StringComparison.Ordinal)))
        {
            throw new RtmpStatusException(code, status!.GetString("description"));
        }
    }

    /// <summary>Acknowledges every window's worth of bytes, counted from the end of the handshake as nginx-rtmp and SRS count.</summary>
    private void AcknowledgeIfDue()
    {
        var received = _chunks.Bytes;
        if (_serverWindowAckSize == 0 || received - _lastAcknowledged < _serverWindowAckSize)
        {
            return;
        }
        _lastAcknowledged = received;
        var writer = Writer();
        writer.Advance(RtmpControl.WriteAcknowledgement(writer.GetSpan(RtmpControl.MaxControlLength), unchecked((uint)received)));
    }

    private void Command(int chunkStreamId, uint streamId, string name, double transaction, Amf0Value? commandObject, params Amf0Value[] args)
    {
        var payload = RtmpCommand.Encode(name, transaction, commandObject, args);
        var writer = Writer();
        var span = writer.GetSpan(RtmpChunkWriter.MaxLength(payload.Length, _outChunkSize, chunkStreamId));
        writer.Advance(RtmpChunkWriter.Write(span, chunkStreamId, 0, RtmpMessageType.CommandAmf0, streamId, payload, _outChunkSize));
    }

    // Made on first use: once playing, an acknowledgement per 2.5 MB or a ping.
    private ArrayBufferWriter<byte> Writer() => _outgoing ??= new ArrayBufferWriter<byte>(256);
}
