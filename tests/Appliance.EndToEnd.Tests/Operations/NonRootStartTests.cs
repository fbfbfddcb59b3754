using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>The README's first command works for anyone: a user who may not create /run/appliance gets the control socket elsewhere.</summary>
public sealed class NonRootStartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-nobody-").FullName;

    [AsNobodyFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task As_nobody_without_run_appliance_the_daemon_puts_its_socket_under_the_working_directory_and_appliancectl_finds_it()
    {
        Assert.False(Directory.Exists("/run/appliance") && (File.GetUnixFileMode("/run/appliance") & UnixFileMode.OtherWrite) != 0,
            "/run/appliance is writable by everyone here, so this test cannot show the fallback");
        await RunAsync("chown", "65534:65534", _directory);
        var socket = Path.Combine(_directory, "run", "control.sock");

        // No HOME, no XDG_RUNTIME_DIR, no RUNTIME_DIRECTORY: only the working directory is left.
        await using var daemon = await DaemonProcess.StartAsync(rootJson: "\"control\": { \"socket\": \"\" },", prefix: AsNobodyFactAttribute.Prefix(_directory));
        var status = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), AsNobodyFactAttribute.Prefix(_directory)[0],
            [.. AsNobodyFactAttribute.Prefix(_directory)[1..], RepoPaths.Ctl, "status"]);

        Assert.True(daemon.HasLog(l => l.Contains($"started (config: {daemon.ConfigPath}; control socket: {socket})", StringComparison.Ordinal)),
            string.Join('\n', daemon.Lines));
        Assert.True(daemon.HasLog(l => l.Contains("control socket: cannot use /run/appliance/control.sock (permission denied)", StringComparison.Ordinal)),
            string.Join('\n', daemon.Lines));
        Assert.True(status.ExitCode == 0, $"appliancectl status exited {status.ExitCode}: {status.Stderr}");
        Assert.Matches($@"listen control\s+{System.Text.RegularExpressions.Regex.Escape(socket)}", status.Stdout);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(10), file, args);
        Assert.True(run.ExitCode == 0, $"{file} {string.Join(' ', args)}: {run.Stderr}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
