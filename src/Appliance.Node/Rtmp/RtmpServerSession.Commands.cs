using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Rtmp;

// The node's answers to connect, publish, play, pause and deleteStream.
public sealed partial class RtmpServerSession
{
    private const int StatusTextChars = 256;

    private readonly RtmpAppAddress _address = new();
    private StreamKey? _streamKey;
    private Subscription? _playing;

    ValueTask<string?> IRtmpServerHandler.OnConnectAsync(RtmpConnectRequest request)
    {
        if (_address.Connect(request, _context.Domains) is { } unknown)
        {
            _rtmp.SendConnectRejected(request);
            _status = "rejected";
            Writer.CloseAfterFlush(unknown);
            return new(unknown);
        }
        _rtmp.SendConnectResult(request);
        return default;
    }

    ValueTask<string?> IRtmpServerHandler.OnPublishAsync(RtmpPublishRequest request)
    {
        if (!TryTakeStreamName("publish", request.Name, out var key, out var name, out var problem))
        {
            return new(RefusePublish(problem));
        }
        // The node's own transcoder publishing a rung: its one-time credential stands in for the app's auth.
        var internalCheck = _context.InternalPublishers.Check(key, name.Query, Connection.RemoteEndPoint?.Address, _context.RtmpAddress);
        if (internalCheck.Carried)
        {
            return new(internalCheck.Refusal is { } refusal ? RefusePublish(refusal) : StartPublishing(key, name, transcoded: true));
        }
        return IsOpen(AuthAction.Publish) ? new(StartPublishing(key, name)) : AuthorizePublish(key, name);
    }

    // Apart, so that the closures are made only when a check runs (the frame's captures are allocated on entry).
    private ValueTask<string?> AuthorizePublish(StreamKey key, StreamName name) =>
        Authorize(AuthAction.Publish, name, () => new(StartPublishing(key, name)), RefusePublish);

    ValueTask<string?> IRtmpServerHandler.OnPlayAsync(RtmpPlayRequest request)
    {
        if (!TryTakeStreamName("play", request.Name, out var key, out var name, out var problem))
        {
            return new(RefusePlay("NetStream.Play.Failed", problem));
        }
        return IsOpen(AuthAction.Play) ? StartPlaying(key, request.Reset, name.Query) : AuthorizePlay(key, name, request.Reset);
    }

    private ValueTask<string?> AuthorizePlay(StreamKey key, StreamName name, bool reset) =>
        Authorize(AuthAction.Play, name, () => StartPlaying(key, reset, name.Query), reason => RefusePlay("NetStream.Play.Failed", reason));

    /// <summary>
    /// The app (from connect, or from a token element in the path) and the stream name of a publish
    /// or play, or why it is refused. A second publish or play on one connection breaks the protocol.
    /// </summary>
    private bool TryTakeStreamName(string command, string? rawName, out StreamKey key, out StreamName name, out string problem)
    {
        (key, name) = (default!, default);
        if (_publisher is null && _playing is null && _address.ResolveTokenPath(ref rawName, _context.Domains) is { } tokenProblem)
        {
            problem = tokenProblem;
            return false;
        }
        if (_publisher is not null || _playing is not null)
        {
            throw new RtmpProtocolException($"{command} on a connection that already publishes or plays");
        }
        // After connect (the protocol refuses publish and play before it) the app is known, or the token path just found it.
        var app = _address.App!;
        if (StreamName.Parse(rawName, app.MaxStreamNameLength, out var parseProblem) is not { } parsed)
        {
            problem = parseProblem!;
            return false;
        }
        (key, name, problem) = (new StreamKey(_address.Domain!.Name, app.Name, parsed.Name), parsed, "");
        _streamKey = key;
        return true;
    }

    /// <param name="transcoded">The node's transcoder publishes a rung: not one of the app's publishers, and announced to no webhook (its query holds the credential).</param>
    private string? StartPublishing(StreamKey key, StreamName name, bool transcoded = false)
    {
        var app = _address.App!;
        if (!transcoded && app.MaxPublishers > 0 && _context.Streams.CountPublishing(key.Domain, key.App) >= app.MaxPublishers)
        {
            return RefusePublish($"app {key.Domain}/{key.App} already has {app.MaxPublishers} publishers");
        }
        // A push from other nodes names them; one that passed through this node would loop.
        var via = Relay.Urls.Via.Parse(name.Query);
        if (_context.Push?.Refusal(via, app.Pull.MaxHops) is { } loop)
        {
            return RefusePublish(loop);
        }
        var publisher = new RtmpPublisher(this, forwarded: via.Count > 0, transcoded);
        if (_context.Streams.TryPublish(key, app, publisher, out var stream) != PublishOutcome.Started)
        {
            return RefusePublish($"stream {key} is already being published");
        }
        _context.Push?.OnPublished(stream, app, via);
        _publisher = publisher;
        _publishStream = stream;
        _role = "rtmp-publish";
        _rtmp.SendStreamBegin();
        _rtmp.SendStatus("status", "NetStream.Publish.Start", $"{name.Name} is now published.");
        LiveLog.PublishStart(_context.Logger, key.ToString(), Client);
        if (!transcoded)
        {
            AnnounceStart(WebhookEventNames.Publish, key, name.Query ?? _address.ConnectQuery);
        }
        return null;
    }

    private string RefusePublish(string reason)
    {
        _rtmp.SendStatus("error", "NetStream.Publish.BadName", "Publish refused.");
        _status = "refused";
        Writer.CloseAfterFlush(reason);
        LiveLog.Rejected(_context.Logger, "rtmp", Client, reason);
        return reason;
    }

    private ValueTask<string?> StartPlaying(StreamKey key, bool reset, string? query)
    {
        var stream = _context.Streams.FindForPlay(key);
        if (_context.Relay is { } relay && relay.MustWait(key, stream))
        {
            // A stream this node pulls from upstream: commands after play wait for the pull's verdict.
            return PlayWhenPulledAsync(relay, key, reset, query);
        }
        return new(Play(stream, key, reset, query));
    }

    private async ValueTask<string?> PlayWhenPulledAsync(Relay.RelayManager relay, StreamKey key, bool reset, string? query) =>
        Play(await relay.FindOrPullAsync(key, query, Client).ConfigureAwait(false), key, reset, query);

    private string? Play(LiveStream? stream, StreamKey key, bool reset, string? query)
    {
        if (stream is null)
        {
            return RefusePlay("NetStream.Play.StreamNotFound", $"stream {key} not found");
        }
        if (stream.IsFull)
        {
            return RefusePlay("NetStream.Play.Failed", $"stream {key} has its maximum of {stream.App.MaxViewersPerStream} viewers");
        }
        _rtmp.SendStreamBegin();
        // The replies' texts are put together on the stack: a join's strings are garbage as soon as they are sent.
        Span<char> text = stackalloc char[StatusTextChars];
        if (reset)
        {
            _rtmp.SendStatus("status", "NetStream.Play.Reset", StatusText(text, "Playing and resetting ", key.Name));
        }
        // The stream's 64-bit media time, for a node pulling it (ParentMediaTime): 32-bit stamps alone lose it past the wrap.
        if (stream.MediaTimeMs is var mediaTimeMs and >= 0)
        {
            _rtmp.SendStatus("status", "NetStream.Play.Start", StatusText(text, "Started playing ", key.Name),
                Relay.Pull.ParentMediaTime.RtmpProperty, mediaTimeMs);
        }
        else
        {
            _rtmp.SendStatus("status", "NetStream.Play.Start", StatusText(text, "Started playing ", key.Name));
        }
        _rtmp.SendSampleAccess();
        var subscription = stream.Subscribe(Writer, WireFormat.Rtmp, relay: Relay.Urls.Via.IsRelayRequest(query));
        if (subscription is null)
        {
            return RefusePlay("NetStream.Play.Failed", $"stream {key} ended or filled up");
        }
        // A static delegate (the session is the writer's end listener): no delegate object per player.
        subscription.Ended = static s => ((RtmpServerSession)s.Writer.EndListener!).OnPlayedStreamEnded();
        _playing = subscription;
        if (stream.Key == key)
        {
            // The stream's equal key: its strings instead of this connection's copies, for as long as it plays.
            _streamKey = stream.Key;
        }
        _role = "rtmp-play";
        // From here on the player sends little but acknowledgements: no pipe needs to wait for them.
        _rtmp.PreferRawInput(Connection);
        AnnounceStart(WebhookEventNames.Play, key, query ?? _address.ConnectQuery);
        return null;
    }

    /// <summary>"{prefix}{name}." in <paramref name="buffer"/>, or as a new string when it does not fit (a very long name).</summary>
    private static ReadOnlySpan<char> StatusText(Span<char> buffer, string prefix, string name)
    {
        var length = prefix.Length + name.Length + 1;
        if (length > buffer.Length)
        {
            return string.Concat(prefix, name, ".");
        }
        prefix.CopyTo(buffer);
        name.CopyTo(buffer[prefix.Length..]);
        buffer[length - 1] = '.';
        return buffer[..length];
    }

    private void OnPlayedStreamEnded()
    {
        _rtmp.SendStreamEof();
        _rtmp.SendStatus("status", "NetStream.Play.UnpublishNotify", $"{_streamKey?.Name} is now unpublished.");
        Writer.CloseAfterFlush("stream ended");
    }

    private string RefusePlay(string code, string reason)
    {
        var notFound = code == "NetStream.Play.StreamNotFound";
        _rtmp.SendStatus("error", code, notFound ? "Stream not found." : "Play failed.");
        _status = notFound ? "not-found" : "refused";
        Writer.CloseAfterFlush(reason);
        LiveLog.Rejected(_context.Logger, "rtmp", Client, reason);
        return reason;
    }

    void IRtmpServerHandler.OnPause(bool paused, double milliseconds)
    {
        if (_playing is null)
        {
            return;
        }
        _playing.Source.SetPaused(_playing, paused);
        _rtmp.SendStatus("status", paused ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify", paused ? "Paused." : "Unpaused.");
    }

    void IRtmpServerHandler.OnFCUnpublish(string? streamName) => EndPublishing("FCUnpublish");

    void IRtmpServerHandler.OnDeleteStream(string command)
    {
        EndPublishing(command);
        if (_playing is not null)
        {
            Writer.Detach();
            _playing = null;
            AnnounceEnd(command);
        }
    }
}
