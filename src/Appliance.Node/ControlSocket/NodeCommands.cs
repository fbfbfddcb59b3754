using Appliance.Control.Contract;
using Appliance.Node.Hosting;
using Appliance.Node.Logging;

namespace Appliance.Node.ControlSocket;

/// <summary>
/// The operator's commands, done in one place for both front ends: the control socket
/// (<see cref="ControlCommands"/>) and the HTTP admin API. Each front end reads its own arguments
/// and maps the outcome to its own wire (a reply line, an HTTP status).
/// </summary>
public sealed class NodeCommands(INodeAdmin node)
{
    public List<StreamReport> Streams() => StreamReports.Streams(node.Context);

    /// <summary>Open sessions; <paramref name="filter"/>'s stream, protocol and client narrow them when set.</summary>
    public List<SessionReport> Sessions(ControlRequest filter) => SessionReports.Sessions(node.Context, filter);

    public List<RouteReport> Routes() => node.Routes();

    public CommandOutcome Kick(long id)
    {
        foreach (var session in node.Context.Sessions.Sessions)
        {
            if (session.Id == id)
            {
                session.Abort("kicked by the operator");
                return CommandOutcome.Done($"session {id} ({session.Protocol} {session.Client} {session.StreamPath}) kicked");
            }
        }
        if (node.Context.HlsSessions.Kick(id, "kicked by the operator") is { } hls)
        {
            // An HLS player has no connection to close: its requests are refused for a while instead.
            var refused = $"kicked by the operator; its requests get 403 until it has made none for {hls.WindowMs / 1000} s";
            LiveLog.Rejected(node.Context.Logger, "hls", hls.Client, refused);
            return CommandOutcome.Done($"session {id} (hls {hls.Client} {hls.StreamPath}) {refused}");
        }
        return CommandOutcome.NotFound($"no session {id}");
    }

    /// <summary>Ends every live stream <paramref name="stream"/> names ("app/name" on any domain, or "domain/app/name").</summary>
    public CommandOutcome Drop(string stream)
    {
        if (string.IsNullOrEmpty(stream))
        {
            return CommandOutcome.Invalid("drop needs a stream: app/name or domain/app/name");
        }
        var context = node.Context;
        var matched = context.Streams.Streams.Where(live => StreamReports.StreamMatches(live.Key, stream)).ToList();
        if (matched.Count == 0)
        {
            return CommandOutcome.NotFound($"no live stream '{Printable(stream)}'");
        }
        var dropped = matched.Select(live => live.Key.ToString()).ToHashSet();
        // Taken before End(): an ended stream's viewers finish on their own threads and leave the
        // session list at once, and the count must still name them.
        var attached = context.Sessions.Sessions.Where(session => dropped.Contains(session.StreamPath)).ToList();
        foreach (var live in matched)
        {
            live.End();
        }
        // End() gives viewers an orderly end of stream; the operator wants them gone, connections too.
        foreach (var session in attached)
        {
            session.Abort("stream dropped by the operator");
        }
        var viewers = attached.Count;
        var players = context.HlsSessions.EndWhere(s => dropped.Contains(s.StreamPath), "stream dropped by the operator");
        return CommandOutcome.Done($"dropped {string.Join(", ", matched.Select(live => live.Key.ToString()))}: {viewers} connection(s) closed, {players} HLS session(s) ended");
    }

    /// <summary>Reads the config file again (the server's reload, which SIGHUP uses too); a bad file is refused.</summary>
    public CommandOutcome Reload()
    {
        var reply = node.Reload();
        return reply.Ok ? CommandOutcome.Done(reply.Message ?? "reloaded") : CommandOutcome.Refused(reply.Error ?? "reload refused");
    }

    /// <summary>Echoing a client's bytes back is fine, but not its control characters or an unbounded length.</summary>
    public static string Printable(string text)
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
