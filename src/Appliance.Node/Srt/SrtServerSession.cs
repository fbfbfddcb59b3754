using Appliance.Auth;
using Appliance.Auth.Tokens;
using Appliance.Codecs.MpegTs;
using Appliance.Node.Config;
using Appliance.Node.Hosting;
using Appliance.Node.Logging;
using Appliance.Node.Rtmp;
using Appliance.Node.Sessions;
using Appliance.Protocols.Srt;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Streams;
using Appliance.Transport.Srt;

namespace Appliance.Node.Srt;

/// <summary>
/// One SRT connection the listener accepted: its stream id says whether it publishes (MPEG-TS in,
/// demuxed into a normal stream) or requests a stream (the stream's TS packets out, as HTTP-TS
/// sends them). The app's auth decides first, exactly as for RTMP, with the stream id's token as
/// the query. Anything malformed ends this connection only, with one log line.
/// </summary>
public sealed partial class SrtServerSession : SessionBase, ISrtSession
{
    private readonly ServerContext _context;
    private readonly SrtConnection _srt;
    private string _status = "ok";
    private string _role = "srt";
    private StreamKey? _key;

    public SrtServerSession(SrtConnection connection, ServerContext context)
        : base(connection, context)
    {
        _context = context;
        _srt = connection;
        SendStallTimeoutMs = context.Config.Deadlines.SendStallMs;
    }

    public override string Protocol => _role;

    public override string Listener => "srt";

    public override string StreamPath => _key?.ToString() ?? "-";

    protected override string Family => "srt";

    /// <summary>refused or not-found when the node turned the caller down, error when it broke the protocol, else ok.</summary>
    protected override string AccessStatus => _status != "ok" ? _status : Failed ? "error" : "ok";

    protected override int IdleTimeoutMs => _playing is null ? _context.Config.Deadlines.IdleMs : 0;

    /// <summary>SRT's own figures for this connection (RTT, loss, retransmissions); once closed, the last ones.</summary>
    public SrtStats? Stats => _srt.Stats();

    /// <summary>True while the session publishes a stream.</summary>
    public bool IsPublishing => _publisher is not null;

    protected override string? AccessLogFields => _srt.Stats()?.ToLogFields();

    protected override bool IsPeerFault(Exception ex) => ex is TsFormatException or SrtRefusedException;

    protected override void OnWriterGaveUp(string reason) => LiveLog.ViewerDropped(_context.Logger, Client, StreamPath, reason);

    protected override void OnEnding(string reason) => EndPublishing(reason);

    protected override async Task<string> ReadAsync()
    {
        // The handshake already checked the stream id and app; the config may have been reloaded since.
        if (SrtStreamId.Parse(_srt.StreamId, out var problem) is not { } id)
        {
            _status = "refused";
            throw new SrtRefusedException(problem);
        }
        if (!_context.Domains.TryResolve(id.Host, id.App, out var domain, out var app))
        {
            _status = "refused";
            throw new SrtRefusedException($"unknown app '{id.App}'");
        }
        if (StreamName.Parse(id.Stream, app.MaxStreamNameLength, out var nameProblem) is not { } name)
        {
            _status = "refused";
            throw new SrtRefusedException(nameProblem!);
        }
        var key = new StreamKey(domain.Name, app.Name, name.Name);
        _key = key;
        var action = id.Mode == SrtMode.Publish ? AuthAction.Publish : AuthAction.Play;
        if (await AuthorizeAsync(action, domain, app, id, key).ConfigureAwait(false) is { } refusal)
        {
            _status = "refused";
            throw new SrtRefusedException(refusal);
        }
        return id.Mode == SrtMode.Publish
            ? await PublishAsync(app, key, id.Query).ConfigureAwait(false)
            : await PlayAsync(key, id.Query).ConfigureAwait(false);
    }

    // Null when allowed, else why not.
    private async ValueTask<string?> AuthorizeAsync(AuthAction action, DomainConfig domain, AppConfig app, SrtStreamId id, StreamKey key)
    {
        var policy = _context.Policies.For(app.Auth);
        if (policy.IsOpen(action))
        {
            return null;
        }
        var request = new AuthRequest
        {
            Action = action,
            Protocol = AuthProtocol.Srt,
            Domain = domain.Name,
            App = app.Name,
            Stream = id.Stream,
            Path = $"/{app.Name}/{key.Name}",
            Query = id.Query,
            ClientIp = Connection.RemoteEndPoint?.Address ?? System.Net.IPAddress.None,
        };
        var result = await policy.CheckAsync(request).ConfigureAwait(false);
        _context.Auth.Record(result);
        return result.Allowed ? null : $"auth refused: {result}";
    }

    /// <summary>Drains what the peer sends until it goes; a player sends nothing that matters.</summary>
    private async Task<string> DrainAsync()
    {
        var input = Connection.Input;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            BytesIn += result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return "peer closed";
            }
        }
    }

    /// <summary>Why an SRT session was turned down after accept: logged once, access status refused or error.</summary>
    private sealed class SrtRefusedException(string message) : Exception(message);
}
