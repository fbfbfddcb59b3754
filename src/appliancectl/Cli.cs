using System.Reflection;
using Appliance.Control.Contract;

namespace Appliance.Ctl;

/// <summary>Parses the command line, asks the daemon, prints its answer for people or scripts.</summary>
internal static class Cli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args is ["sign", .. var signArgs])
        {
            return await SignCommand.RunAsync(signArgs, output, error, DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ConfigureAwait(false);
        }
        var options = Options.Parse(args);
        if (options.Help)
        {
            await output.WriteLineAsync(Options.Usage).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (options.Version)
        {
            await output.WriteLineAsync($"appliancectl {Version}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (options.Error is not null)
        {
            await error.WriteLineAsync($"appliancectl: {options.Error}\n\n{Options.Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("APPLIANCE_SOCKET");
        var path = options.SocketPath ?? (string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment);
        if (path is null)
        {
            // Where the daemon puts it when its config does not say, searched in the daemon's order.
            var candidates = ControlSocketLocation.Candidates(Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
            path = ControlSocketLocation.Find(candidates, ControlClient.HoldsSocket);
            if (path is null)
            {
                await error.WriteLineAsync($"appliancectl: applianced is not running: no control socket at {string.Join(", ", candidates)} (see --socket)").ConfigureAwait(false);
                return ExitCodes.NotRunning;
            }
        }
        ControlReply reply;
        string json;
        try
        {
            (reply, json) = await ControlClient.SendAsync(path, options.Request, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (ControlClient.Failure failure)
        {
            await error.WriteLineAsync($"appliancectl: {failure.Message}").ConfigureAwait(false);
            return failure.ExitCode;
        }
        if (options.Json)
        {
            await output.WriteLineAsync(json).ConfigureAwait(false);
        }
        else if (reply.Ok)
        {
            await output.WriteAsync(Render(options.Request.Command, reply)).ConfigureAwait(false);
        }
        if (!reply.Ok)
        {
            await error.WriteLineAsync($"appliancectl: {reply.Error}").ConfigureAwait(false);
            return ExitCodes.DaemonError;
        }
        return ExitCodes.Ok;
    }

    private static string Render(string command, ControlReply reply) => command switch
    {
        "status" when reply.Status is { } status => Tables.Status(status),
        "streams" => Tables.Streams(reply.Streams ?? []),
        "sessions" => Tables.Sessions(reply.Sessions ?? []),
        "routes" => Tables.Routes(reply.Routes ?? []),
        "config" when reply.Config is { } config => Tables.Config(config, reply.PendingRestart ?? []),
        _ => (reply.Message ?? "ok") + "\n",
    };

    private static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
