using System.Reflection;
using System.Runtime.InteropServices;
using Appliance.Live.Config;
using Appliance.Live.Server;
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
        ApplianceServer server;
        try
        {
            server = new ApplianceServer(config, loggers);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            logger.LogError("cannot listen: {Message}", ex.Message);
            return 1;
        }
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
        server.Start();
        logger.LogInformation("applianced {Version} started (config: {Config})", Version, options.ConfigPath ?? "embedded default");
        await stop.Task.ConfigureAwait(false);
        logger.LogInformation("stopping");
        await server.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static string Version =>
        typeof(Daemon).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
