using Appliance.Node.Hosting;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Node.Server;
using Appliance.Node.Sessions;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Node.Rtmp;

/// <summary>
/// One RTMP connection, server side, as the node sees it: <see cref="RtmpServerConnection"/> speaks
/// the protocol and raises connect, publish, play and media; this session decides them (apps,
/// auth, limits, the stream registry, relay and push) and keeps the connection's counters, deadlines
/// and access log line. It may publish one stream or play one stream. Anything malformed ends this
/// connection only, with one log line naming the reason.
/// </summary>
public sealed partial class RtmpServerSession : SessionBase, IRtmpServerHandler, IRtmpOutput
{
    private static RtmpServerOptions? s_options;
    private readonly ServerContext _context;
    private readonly ApplianceConfig _config;
    private readonly RtmpServerConnection _rtmp;
    private string _status = "ok";
    private string _role = "rtmp";

    /// <param name="listener">The listener it came through, "rtmp" or "rtmps", for the traffic counters.</param>
    public RtmpServerSession(IConnection connection, ServerContext context, string listener = "rtmp")
        : base(connection, context)
    {
        Listener = listener;
        _context = context;
        _config = context.Config;
        SendStallTimeoutMs = _config.Deadlines.SendStallMs;
        // Replies share the chunk size of the pre-chunked media players receive.
        _rtmp = new RtmpServerConnection(connection.Input, this, this, OptionsFor(context.Streams.Serializer.RtmpChunkSize, _config.Rtmp.MaxMessageBytes));
    }

    /// <summary>
    /// The options every connection shares while the settings stay the same (a reload may change
    /// the message limit): a player holds its connection's for hours, so one each would be held
    /// per viewer. Two threads racing here build equal objects; either serves.
    /// </summary>
    private static RtmpServerOptions OptionsFor(int chunkSize, int maxMessageBytes)
    {
        var options = s_options;
        if (options is null || options.ChunkSize != chunkSize || options.MaxMessageBytes != maxMessageBytes)
        {
            options = new RtmpServerOptions { ChunkSize = chunkSize, MaxMessageBytes = maxMessageBytes, StreamId = FrameSerializer.PlayStreamId };
            s_options = options;
        }
        return options;
    }

    public override string Protocol => _role;

    protected override int IdleTimeoutMs => _playing is null ? _config.Deadlines.IdleMs : 0;

    protected override string DeadlineReason => "handshake not completed in time";

    public string StreamDescription => _streamKey?.ToString() ?? "-";

    public override string StreamPath => StreamDescription;

    public override string Listener { get; }

    protected override string Family => "rtmp";

    /// <summary>ok, or why a command was turned down (rejected, refused, not-found); error when the session failed.</summary>
    protected override string AccessStatus => Failed ? "error" : _status;

    protected override Task<string> ReadAsync()
    {
        SetPhaseDeadline(_config.Deadlines.HandshakeMs);
        return _rtmp.RunAsync();
    }

    protected override bool IsPeerFault(Exception ex) => ex is RtmpProtocolException;

    protected override void OnEnding(string reason) => EndPublishing(reason);

    protected override void OnEnded() => _rtmp.Dispose();

    protected override void OnWriterGaveUp(string reason)
    {
        if (reason == ConnectionWriter.TooSlowReason)
        {
            LiveLog.ViewerDropped(_context.Logger, Client, StreamDescription, reason);
        }
        else
        {
            LiveLog.Rejected(_context.Logger, Protocol, Client, reason);
        }
    }

    void IRtmpOutput.Send(SharedBuffer chunks) => Writer.Send(chunks);

    void IRtmpServerHandler.OnBytesReceived(long count)
    {
        BytesIn += count;
        MarkReceived();
    }

    void IRtmpServerHandler.OnHandshakeCompleted() => SetPhaseDeadline(0);

    void IRtmpServerHandler.OnIgnored(string what) => LiveLog.Ignored(_context.Logger, Client, what);
}
