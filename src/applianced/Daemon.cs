using System.Reflection;
using Appliance.Node.Config;
using Appliance.Node.Server;
using Microsoft.Extensions.Logging;

namespace Appliance.Daemon;

/// <summary>Parses options, loads config, runs the server until SIGTERM or SIGINT.</summary>
internal static class Daemon
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CommandLine.Parse(args);
        if (options.Error is not null)
        {
            await Console.Error.WriteLineAsync($"applianced: {options.Error}\n\n{CommandLine.Usage}").ConfigureAwait(false);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }
        if (options.Version)
        {
            Console.WriteLine($"applianced {Version}");
            return 0;
        }
        if (options.PrintDefault)
        {
            Console.WriteLine(ConfigLoader.ToJson(new ApplianceConfig()));
            return 0;
        }

        ApplianceConfig config;
        try
        {
            config = options.ConfigPath is null ? new ApplianceConfig() : ConfigLoader.Load(options.ConfigPath);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
        if (options.CheckOnly)
        {
            Console.WriteLine($"{options.ConfigPath}: ok");
            return 0;
        }

        using var loggers = Logging.Create(config.Log.Level);
        var logger = loggers.CreateLogger("applianced");
        if (OpenFileLimit.Raise() is { } files)
        {
            // A connection is a descriptor; the daemon's own files, listeners and the publisher's take a few dozen.
            logger.LogInformation("open files: limit {Limit} (it was {Before}; the hard limit is the operator's: LimitNOFILE)",
                files.After, files.Before);
        }
        ApplianceServer server;
        try
        {
            server = new ApplianceServer(config, loggers, options.ConfigPath is null ? null : Path.GetFullPath(options.ConfigPath));
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or ConfigException)
        {
            logger.LogError("cannot start: {Message}", ex.Message);
            return 1;
        }
        if (IgnoredHangup.Restore())
        {
            logger.LogInformation("SIGHUP was ignored by the process that started the daemon (nohup?); it reloads the config all the same");
        }
        using var signals = new Signals(
            reload: () =>
            {
                logger.LogInformation("SIGHUP: reloading the config");
                SystemdNotify.Send(SystemdNotify.Reloading());
                try
                {
                    // A refusal is logged by the reload itself.
                    server.Reload();
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "SIGHUP: the reload failed");
                }
                SystemdNotify.Send("READY=1");
            },
            reopenLogs: () =>
            {
                logger.LogInformation("SIGUSR1: reopening the access log");
                server.Context.AccessLog.Reopen();
            });
        server.Start();
        logger.LogInformation("applianced {Version} started (config: {Config}; control socket: {Socket})",
            Version, options.ConfigPath ?? "embedded default", server.ControlSocketPath ?? "off");
        SystemdNotify.Send($"READY=1\nSTATUS=serving\nMAINPID={Environment.ProcessId}");

        var first = await Task.WhenAny(signals.Terminate, signals.Interrupt, server.DrainRequested).ConfigureAwait(false);
        if (first != signals.Interrupt)
        {
            var timeout = first == server.DrainRequested ? server.DrainRequested.Result : TimeSpan.FromMilliseconds(server.Context.Config.Control.DrainTimeoutMs);
            SystemdNotify.Send("STOPPING=1\nSTATUS=draining");
            await Task.WhenAny(server.DrainAsync(timeout), signals.Interrupt).ConfigureAwait(false);
        }
        logger.LogInformation("stopping");
        SystemdNotify.Send("STOPPING=1");
        await server.DisposeAsync().ConfigureAwait(false);
        logger.LogInformation("stopped");
        return 0;
    }

    private static string Version =>
        typeof(Daemon).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
