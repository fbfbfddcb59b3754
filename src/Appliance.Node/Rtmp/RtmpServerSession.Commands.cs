using Appliance.Auth.Tokens;
using Appliance.Relay.Urls;
using Appliance.Codecs.Amf0;
using Appliance.Node.Config;
using Appliance.Streaming.Fanout;
using Appliance.Node.Logging;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Appliance.Protocols.Rtmp;
using static Appliance.Node.Rtmp.RtmpReplies;

namespace Appliance.Node.Rtmp;

public sealed partial class RtmpServerSession
{
    private const uint MessageStreamId = FrameSerializer.PlayStreamId;

    private string? _tcUrlHost;
    private DomainConfig? _domain;
    private AppConfig? _app;
    private string? _appName;
    private StreamKey? _streamKey;
    private Subscription? _playing;

    private string? HandleCommand(ReadOnlySpan<byte> payload, uint streamId)
    {
        var command = RtmpCommand.Decode(payload);
        switch (command.Name)
        {
            case "connect":
                return Connect(command);
            case "createStream":
                Writer.Send(Command(ChunkSize, 0, "_result", command.TransactionId, Amf0Value.Null, Amf0Value.FromNumber(MessageStreamId)));
                return null;
            case "releaseStream":
            case "FCPublish":
            case "FCUnpublish":
            case "getStreamLength":
                if (command.TransactionId > 0)
                {
                    Writer.Send(Command(ChunkSize, 0, "_result", command.TransactionId, Amf0Value.Null, Amf0Value.Undefined));
                }
                if (command.Name == "FCUnpublish")
                {
                    EndPublishing("FCUnpublish");
                }
                return null;
            case "publish":
                return Publish(command);
            case "play":
                return Play(command);
            case "pause":
                Pause(command);
                return null;
            case "deleteStream":
            case "closeStream":
                EndPublishing(command.Name);
                StopPlaying();
                return null;
            case "play2":
            case "receiveAudio":
            case "receiveVideo":
            case "_checkbw":
            case "_result":
            case "_error":
            case "onBWDone":
                LiveLog.Ignored(_context.Logger, Client, $"command {command.Name}");
                return null;
            default:
                LiveLog.Ignored(_context.Logger, Client, $"unknown command {Truncate(command.Name)}");
                return null;
        }
    }

    private string? Connect(RtmpCommandMessage command)
    {
        if (_appName is not null)
        {
            throw new RtmpProtocolException("connect sent twice");
        }
        var properties = command.CommandObject;
        var app = properties?.GetString("app") ?? "";
        var tcUrl = properties?.GetString("tcUrl");
        _tcUrlHost = HostOf(tcUrl);
        var question = app.IndexOf('?');
        _appName = (question >= 0 ? app[..question] : app).Trim('/');
        RememberConnectAuth(app, tcUrl, properties?.GetString("pageUrl"));
        if (_context.Domains.TryResolve(_tcUrlHost, _appName, out var domain, out var appConfig))
        {
            _domain = domain;
            _app = appConfig;
        }
        else if (!DefersAppToTokenPath(_appName))
        {
            Writer.Send(Command(ChunkSize, 0, "_error", command.TransactionId, Amf0Value.Null,
                Amf0Value.Object(Prop("level", "error"), Prop("code", "NetConnection.Connect.Rejected"), Prop("description", "Connection rejected."))));
            _status = "rejected";
            var unknown = UnknownApp(_appName);
            Writer.CloseAfterFlush(unknown);
            return unknown;
        }
        var encoding = properties?.GetNumber("objectEncoding") ?? 0;
        Writer.Send(ControlMessage(s => RtmpControl.WriteWindowAckSize(s, 2_500_000)));
        Writer.Send(ControlMessage(s => RtmpControl.WriteSetPeerBandwidth(s, 2_500_000, 2)));
        Writer.Send(ControlMessage(s => RtmpControl.WriteSetChunkSize(s, ChunkSize)));
        Writer.Send(Command(ChunkSize, 0, "_result", command.TransactionId,
            Amf0Value.Object(Prop("fmsVer", "FMS/3,5,3,888"), Prop("capabilities", 127), Prop("mode", 1)),
            Amf0Value.Object(Prop("level", "status"), Prop("code", "NetConnection.Connect.Success"),
                Prop("description", "Connection succeeded."), Prop("objectEncoding", encoding))));
        return null;
    }

    private string? Publish(RtmpCommandMessage command)
    {
        var rawName = ArgumentString(command, 0);
        if (_publisher is null && _playing is null && ResolveTokenPath(ref rawName) is { } tokenProblem)
        {
            return RefusePublish(tokenProblem);
        }
        if (_app is null || _domain is null)
        {
            throw new RtmpProtocolException("publish before connect");
        }
        if (_publisher is not null || _playing is not null)
        {
            throw new RtmpProtocolException("publish on a connection that already publishes or plays");
        }
        var name = StreamName.Parse(rawName, _app.MaxStreamNameLength, out var problem);
        if (name is null)
        {
            return RefusePublish(problem!);
        }
        var key = new StreamKey(_domain.Name, _app.Name, name.Value.Name);
        _streamKey = key;
        return Authorize(Auth.Tokens.AuthAction.Publish, name.Value, () => StartPublishing(key, name.Value), RefusePublish);
    }

    private string? StartPublishing(StreamKey key, StreamName name)
    {
        if (_app!.MaxPublishers > 0 && _context.Streams.CountPublishing(key.Domain, key.App) >= _app.MaxPublishers)
        {
            return RefusePublish($"app {key.Domain}/{key.App} already has {_app.MaxPublishers} publishers");
        }
        // A push from other nodes names them; one that passed through this node would loop.
        var via = Relay.Urls.Via.Parse(name.Query);
        if (_context.Push?.Refusal(via, _app.Pull.MaxHops) is { } loop)
        {
            return RefusePublish(loop);
        }
        var publisher = new RtmpPublisher(this, key, forwarded: via.Count > 0);
        if (_context.Streams.TryPublish(key, _app!, publisher, out var stream) != PublishOutcome.Started)
        {
            return RefusePublish($"stream {key} is already being published");
        }
        _context.Push?.OnPublished(stream, _app, via);
        _publisher = publisher;
        _publishStream = stream;
        _role = "rtmp-publish";
        Writer.Send(ControlMessage(s => RtmpControl.WriteUserControl(s, UserControlEvent.StreamBegin, MessageStreamId)));
        Writer.Send(Status(ChunkSize, MessageStreamId, "status", "NetStream.Publish.Start", $"{name.Name} is now published."));
        LiveLog.PublishStart(_context.Logger, key.ToString(), Client);
        return null;
    }

    private string RefusePublish(string reason)
    {
        Writer.Send(Status(ChunkSize, MessageStreamId, "error", "NetStream.Publish.BadName", "Publish refused."));
        _status = "refused";
        Writer.CloseAfterFlush(reason);
        LiveLog.Rejected(_context.Logger, "rtmp", Client, reason);
        return reason;
    }

    private string? Play(RtmpCommandMessage command)
    {
        var rawName = ArgumentString(command, 0);
        if (_publisher is null && _playing is null && ResolveTokenPath(ref rawName) is { } tokenProblem)
        {
            return RefusePlay("NetStream.Play.Failed", tokenProblem);
        }
        if (_app is null || _domain is null)
        {
            throw new RtmpProtocolException("play before connect");
        }
        if (_publisher is not null || _playing is not null)
        {
            throw new RtmpProtocolException("play on a connection that already publishes or plays");
        }
        var name = StreamName.Parse(rawName, _app.MaxStreamNameLength, out var problem);
        if (name is null)
        {
            return RefusePlay("NetStream.Play.Failed", problem!);
        }
        var key = new StreamKey(_domain.Name, _app.Name, name.Value.Name);
        _streamKey = key;
        var reset = command.Arguments.Count < 4 || command.Arguments[3].Kind != Amf0Kind.Boolean || command.Arguments[3].Boolean;
        var query = name.Value.Query;
        return Authorize(Auth.Tokens.AuthAction.Play, name.Value, () => StartPlaying(key, reset, query), reason => RefusePlay("NetStream.Play.Failed", reason));
    }

    private string? StartPlaying(StreamKey key, bool reset, string? query)
    {
        var stream = _context.Streams.FindForPlay(key);
        if (_context.Relay is { } relay && relay.MustWait(key, stream))
        {
            // A stream this node pulls from upstream: commands after play wait for the pull's verdict.
            _deferred = PlayWhenPulledAsync(relay, key, reset, query);
            return null;
        }
        return Play(stream, key, reset);
    }

    private async Task<string?> PlayWhenPulledAsync(Relay.RelayManager relay, StreamKey key, bool reset, string? query) =>
        Play(await relay.FindOrPullAsync(key, query, Client).ConfigureAwait(false), key, reset);

    private string? Play(LiveStream? stream, StreamKey key, bool reset)
    {
        if (stream is null)
        {
            return RefusePlay("NetStream.Play.StreamNotFound", $"stream {key} not found");
        }
        if (stream.IsFull)
        {
            return RefusePlay("NetStream.Play.Failed", $"stream {key} has its maximum of {stream.App.MaxViewersPerStream} viewers");
        }
        Writer.Send(ControlMessage(s => RtmpControl.WriteUserControl(s, UserControlEvent.StreamBegin, MessageStreamId)));
        if (reset)
        {
            Writer.Send(Status(ChunkSize, MessageStreamId, "status", "NetStream.Play.Reset", $"Playing and resetting {key.Name}."));
        }
        Writer.Send(Status(ChunkSize, MessageStreamId, "status", "NetStream.Play.Start", $"Started playing {key.Name}."));
        Writer.Send(SampleAccess());
        var subscription = stream.Subscribe(Writer, WireFormat.Rtmp);
        if (subscription is null)
        {
            return RefusePlay("NetStream.Play.Failed", $"stream {key} ended or filled up");
        }
        subscription.Ended = OnPlayedStreamEnded;
        _playing = subscription;
        _role = "rtmp-play";
        return null;
    }

    private Core.Buffers.SharedBuffer SampleAccess()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        Amf0Writer.WriteString(buffer, "|RtmpSampleAccess");
        Amf0Writer.WriteBoolean(buffer, true);
        Amf0Writer.WriteBoolean(buffer, true);
        return Message(ChunkSize, FrameSerializer.ScriptChunkStream, RtmpMessageType.DataAmf0, MessageStreamId, buffer.WrittenSpan);
    }

    private void OnPlayedStreamEnded(Subscription subscription)
    {
        Writer.Send(ControlMessage(s => RtmpControl.WriteUserControl(s, UserControlEvent.StreamEof, MessageStreamId)));
        Writer.Send(Status(ChunkSize, MessageStreamId, "status", "NetStream.Play.UnpublishNotify", $"{_streamKey?.Name} is now unpublished."));
        Writer.CloseAfterFlush("stream ended");
    }

    private string RefusePlay(string code, string reason)
    {
        Writer.Send(Status(ChunkSize, MessageStreamId, "error", code, code == "NetStream.Play.StreamNotFound" ? "Stream not found." : "Play failed."));
        _status = code == "NetStream.Play.StreamNotFound" ? "not-found" : "refused";
        Writer.CloseAfterFlush(reason);
        LiveLog.Rejected(_context.Logger, "rtmp", Client, reason);
        return reason;
    }

    private void Pause(RtmpCommandMessage command)
    {
        if (_playing is null)
        {
            return;
        }
        var pause = command.Arguments.Count > 0 && command.Arguments[0].Kind == Amf0Kind.Boolean && command.Arguments[0].Boolean;
        _playing.Source.SetPaused(_playing, pause);
        Writer.Send(Status(ChunkSize, MessageStreamId, "status", pause ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify", pause ? "Paused." : "Unpaused."));
    }

    private void StopPlaying()
    {
        if (_playing is null)
        {
            return;
        }
        Writer.Detach();
        _playing = null;
    }

    /// <summary>Argument <paramref name="index"/> after the command object, as a string.</summary>
    private static string? ArgumentString(RtmpCommandMessage command, int index) =>
        command.Arguments.Count > index && command.Arguments[index].Kind == Amf0Kind.String ? command.Arguments[index].String : null;

    private static string? HostOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }
        return uri.Host;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
