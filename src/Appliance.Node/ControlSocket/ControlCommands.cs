using Appliance.Node.Hosting;
using Appliance.Control.Contract;

namespace Appliance.Node.ControlSocket;

/// <summary>
/// The control socket's front end: reads a request's arguments, has <see cref="NodeCommands"/> do
/// the command (the HTTP admin API shares them) and answers a reply. Every command answers; none
/// blocks the node.
/// </summary>
public sealed class ControlCommands(INodeAdmin server)
{
    public static readonly string[] Names = ["status", "streams", "sessions", "kick", "drop", "reload", "config", "routes", "drain"];

    private readonly NodeCommands _commands = new(server);

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
            "streams" => new ControlReply { Ok = true, Streams = _commands.Streams() },
            "sessions" => new ControlReply { Ok = true, Sessions = _commands.Sessions(request) },
            "kick" => request.Session is { } id ? Reply(_commands.Kick(id)) : ControlReply.Failure("kick needs a session id (see 'sessions')"),
            "drop" => Reply(_commands.Drop(request.Stream ?? "")),
            "reload" => Reply(_commands.Reload()),
            "config" => new ControlReply { Ok = true, Config = ConfigMasking.Effective(context.Config), PendingRestart = [.. server.PendingRestart] },
            "routes" => new ControlReply { Ok = true, Routes = _commands.Routes() },
            "drain" => Drain(request.TimeoutSeconds),
            "" => ControlReply.Failure("the request has no command"),
            _ => ControlReply.Failure($"unknown command '{NodeCommands.Printable(request.Command)}'; commands: {string.Join(", ", Names)}"),
        };
    }

    private static ControlReply Reply(CommandOutcome outcome) =>
        outcome.Ok ? ControlReply.Success(outcome.Text) : ControlReply.Failure(outcome.Text);

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
}
