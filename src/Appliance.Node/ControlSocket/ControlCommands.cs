using Appliance.Node.Hosting;
using Appliance.Control.Contract;
using Appliance.Node.Logging;
using Appliance.Node.Server;

namespace Appliance.Node.ControlSocket;

/// <summary>What each control-socket command does. Every command answers; none blocks the node.</summary>
public sealed class ControlCommands(INodeAdmin server)
{
    public static readonly string[] Names = ["status", "streams", "sessions", "kick", "drop", "reload", "config", "routes", "drain"];

    public ControlReply Execute(ControlRequest request)
    {
        if (request.Version != ControlProtocol.Version)
        {
            return ControlReply.Failure($"protocol version {request.Version} is not supported; this daemon speaks version {ControlProtocol.Version}");
        }
        var context = server.Context;
        return request.Command switch
        {
            "status" => new ControlReply { Ok = true, Status = StatusReports.From(NodeStatus.Capture(server)) },
            "streams" => new ControlReply { Ok = true, Streams = StreamReports.Streams(context) },
            "sessions" => new ControlReply { Ok = true, Sessions = SessionReports.Sessions(context, request) },
            "kick" => Kick(request.Session),
            "drop" => Drop(request.Stream),
            "reload" => server.Reload(),
            "config" => new ControlReply { Ok = true, Config = ConfigMasking.Effective(context.Config), PendingRestart = [.. server.PendingRestart] },
            "routes" => new ControlReply { Ok = true, Routes = server.Routes() },
            "drain" => Drain(request.TimeoutSeconds),
            "" => ControlReply.Failure("the request has no command"),
            _ => ControlReply.Failure($"unknown command '{Printable(request.Command)}'; commands: {string.Join(", ", Names)}"),
        };
    }

    private ControlReply Kick(long? id)
    {
        if (id is null)
        {
            return ControlReply.Failure("kick needs a session id (see 'sessions')");
        }
        foreach (var session in server.Context.Sessions.Sessions)
        {
            if (session.Id == id)
            {
                session.Abort("kicked by the operator");
                return ControlReply.Success($"session {id} ({session.Protocol} {session.Client} {session.StreamPath}) kicked");
            }
        }
        if (server.Context.HlsSessions.Kick(id.Value, "kicked by the operator") is { } hls)
        {
            // An HLS player has no connection to close: its requests are refused for a while instead.
            var refused = $"kicked by the operator; its requests get 403 until it has made none for {hls.WindowMs / 1000} s";
            LiveLog.Rejected(server.Context.Logger, "hls", hls.Client, refused);
            return ControlReply.Success($"session {id} (hls {hls.Client} {hls.StreamPath}) {refused}");
        }
        return ControlReply.Failure($"no session {id}");
    }

    private ControlReply Drop(string? stream)
    {
        if (string.IsNullOrEmpty(stream))
        {
            return ControlReply.Failure("drop needs a stream: app/name or domain/app/name");
        }
        var context = server.Context;
        var dropped = new List<string>();
        foreach (var live in context.Streams.Streams)
        {
            if (StreamReports.StreamMatches(live.Key, stream))
            {
                dropped.Add(live.Key.ToString());
                live.End();
            }
        }
        if (dropped.Count == 0)
        {
            return ControlReply.Failure($"no live stream '{Printable(stream)}'");
        }
        // End() gives viewers an orderly end of stream; the operator wants them gone, connections too.
        var viewers = 0;
        foreach (var session in context.Sessions.Sessions)
        {
            if (dropped.Contains(session.StreamPath))
            {
                session.Abort("stream dropped by the operator");
                viewers++;
            }
        }
        var players = context.HlsSessions.EndWhere(s => dropped.Contains(s.StreamPath), "stream dropped by the operator");
        return ControlReply.Success($"dropped {string.Join(", ", dropped)}: {viewers} connection(s) closed, {players} HLS session(s) ended");
    }

    private ControlReply Drain(int? timeoutSeconds)
    {
        if (timeoutSeconds is < 0 or > 86_400)
        {
            return ControlReply.Failure("drain timeout must be between 0 and 86400 seconds");
        }
        var timeout = timeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMilliseconds(server.Context.Config.Control.DrainTimeoutMs);
        server.RequestDrain(timeout);
        return ControlReply.Success($"draining: no new connections; exiting when the viewers have left or after {timeout.TotalSeconds:F0} s");
    }

    /// <summary>Echoing a client's bytes back is fine, but not its control characters or an unbounded length.</summary>
    private static string Printable(string text)
    {
        var cut = text.Length > 64 ? text[..64] + "..." : text;
        return string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
