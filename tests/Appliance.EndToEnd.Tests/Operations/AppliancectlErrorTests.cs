using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>appliancectl tells the operator what is wrong, with an exit code scripts can test.</summary>
public sealed class AppliancectlErrorTests
{
    [Fact]
    public async Task No_daemon_means_exit_3_and_says_so()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"appliance-none-{Guid.NewGuid():N}.sock");

        var run = await Appliancectl.RunAsync(socket, "status");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"applianced is not running: no control socket at {socket}", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("kick")]
    [InlineData("kick", "abc")]
    [InlineData("drop")]
    [InlineData("status", "--bogus")]
    [InlineData("sessions", "--timeout", "3")]
    public async Task Usage_errors_exit_2_with_the_usage(params string[] args)
    {
        var run = await Appliancectl.RunAsync("/nonexistent.sock", args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage: appliancectl", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var run = await Appliancectl.RunAsync("/nonexistent.sock", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "status", "streams", "sessions", "kick ID", "drop STREAM", "reload", "config", "routes", "drain" })
        {
            Assert.Contains(command, run.Stdout, StringComparison.Ordinal);
        }
    }

    [RootFact]
    public async Task A_user_outside_the_socket_group_gets_exit_4()
    {
        await using var daemon = await DaemonProcess.StartAsync();

        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser", "-u", "nobody", "--", RepoPaths.Ctl, "--socket", daemon.ControlSocket, "status");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("permission denied", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_socket_of_a_killed_daemon_means_exit_3()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        // SIGKILL: no chance to remove the socket file, which stays behind with nobody listening.
        await daemon.SignalAsync("KILL");
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(daemon.ControlSocket));

        var run = await Appliancectl.RunAsync(daemon, "status");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"applianced is not running: nobody answers on {daemon.ControlSocket}", run.Stderr, StringComparison.Ordinal);
    }
}
