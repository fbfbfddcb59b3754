using System.Text.Json;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>The real appliancectl binary against a daemon's control socket.</summary>
public static class Appliancectl
{
    public static async Task<ExternalProcess> RunAsync(string socket, params string[] args) =>
        await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Ctl, ["--socket", socket, .. args]);

    public static Task<ExternalProcess> RunAsync(DaemonProcess daemon, params string[] args) => RunAsync(daemon.ControlSocket, args);

    /// <summary>Runs a command with --json, asserts it succeeded, returns the reply.</summary>
    public static async Task<JsonElement> JsonAsync(DaemonProcess daemon, params string[] args)
    {
        var run = await RunAsync(daemon, ["--json", .. args]);
        Assert.True(run.ExitCode == 0, $"appliancectl {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}{run.Stdout}");
        using var reply = JsonDocument.Parse(run.Stdout);
        Assert.True(reply.RootElement.GetProperty("ok").GetBoolean());
        return reply.RootElement.Clone();
    }

    /// <summary>Open sessions by protocol, as `sessions` lists them.</summary>
    public static async Task<Dictionary<string, int>> SessionCountsAsync(DaemonProcess daemon)
    {
        var reply = await JsonAsync(daemon, "sessions");
        return reply.GetProperty("sessions").EnumerateArray()
            .GroupBy(s => s.GetProperty("protocol").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());
    }
}
