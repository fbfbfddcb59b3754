using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>Reload re-reads the config file: a broken file changes nothing; a good one applies to new sessions at once.</summary>
public sealed class ReloadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_broken_file_keeps_the_old_config_and_reports_the_key_path()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, appJson: "\"publisherGraceMs\": -5"));

        var reload = await Appliancectl.RunAsync(daemon, "reload");

        Assert.Equal(1, reload.ExitCode);
        Assert.Contains("$.domains[0].apps[0].publisherGraceMs", reload.Stderr, StringComparison.Ordinal);
        Assert.Contains("running config stays", reload.Stderr, StringComparison.Ordinal);
        // The node still runs its old config: a second publisher of another stream is accepted and the first goes on.
        await using var second = Ffmpeg.Publish(daemon.RtmpUrl("live/other"));
        await StreamApi.WaitForFramesAsync(daemon, "other", minFrames: 10, Wait);
        Assert.False(publisher.HasExited);
        Assert.Equal(0, (await Appliancectl.RunAsync(daemon, "status")).ExitCode);
    }

    [Fact]
    public async Task A_broken_file_on_SIGHUP_is_logged_once_and_the_old_config_keeps_serving()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, appJson: "\"publisherGraceMs\": -5"));

        await daemon.SignalAsync("HUP");
        await daemon.WaitForLogAsync(l => l.Contains("reload refused", StringComparison.Ordinal) && l.Contains("$.domains[0].apps[0].publisherGraceMs", StringComparison.Ordinal), Wait);

        // The old config serves: the app "live" still takes a publisher.
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
        Assert.Single(daemon.Lines, l => l.Contains("publisherGraceMs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_daemon_started_under_nohup_still_reloads_on_SIGHUP()
    {
        // nohup runs the daemon in its own place (the PID signalled) with SIGHUP ignored, which the
        // .NET runtime would keep: the signal would then be lost without a word.
        await using var daemon = await DaemonProcess.StartAsync(prefix: ["nohup"]);
        Assert.Contains(daemon.Lines, l => l.Contains("SIGHUP was ignored by the process that started the daemon", StringComparison.Ordinal));
        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, extraAppsJson: "{ \"name\": \"sports\" }"));

        await daemon.SignalAsync("HUP");

        await daemon.WaitForLogAsync(l => l.Contains("SIGHUP: reloading the config", StringComparison.Ordinal), Wait);
        await daemon.WaitForLogAsync(l => l.Contains($"reloaded {daemon.ConfigPath}", StringComparison.Ordinal), Wait);
        Assert.False(daemon.HasExited);
        Assert.Equal(0, (await Appliancectl.RunAsync(daemon, "status")).ExitCode);
    }

    [Theory]
    [InlineData("appliancectl")]
    [InlineData("SIGHUP")]
    public async Task A_reload_that_adds_an_app_makes_it_publishable_without_a_restart(string how)
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using (var refused = Ffmpeg.Publish(daemon.RtmpUrl("sports/match"), seconds: 3))
        {
            Assert.True(await refused.WaitForExitAsync(Wait), "ffmpeg kept publishing to an app that does not exist");
            Assert.NotEqual(0, refused.ExitCode);
        }
        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, extraAppsJson: "{ \"name\": \"sports\" }"));

        if (how == "SIGHUP")
        {
            await daemon.SignalAsync("HUP");
            // Two waits, so a failure says whether the signal or the reload went missing.
            await daemon.WaitForLogAsync(l => l.Contains("SIGHUP: reloading the config", StringComparison.Ordinal), Wait);
            await daemon.WaitForLogAsync(l => l.Contains($"reloaded {daemon.ConfigPath}", StringComparison.Ordinal), Wait);
        }
        else
        {
            var reload = await Appliancectl.RunAsync(daemon, "reload");
            Assert.True(reload.ExitCode == 0, reload.Stderr);
            Assert.Contains("reloaded", reload.Stdout, StringComparison.Ordinal);
        }

        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("sports/match"));
        await StreamApi.WaitForFramesAsync(daemon, "match", minFrames: 10, Wait);
        var streams = (await Appliancectl.JsonAsync(daemon, "streams")).GetProperty("streams");
        Assert.Contains(streams.EnumerateArray(), s => s.GetProperty("key").GetString() == "default/sports/match");
    }

    [Fact]
    public async Task A_reload_that_moves_the_rtmp_listener_keeps_the_old_one_and_config_lists_the_key_waiting_for_a_restart()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, rtmpListen: "127.0.0.1:1"));

        var reload = await Appliancectl.RunAsync(daemon, "reload");
        var human = await Appliancectl.RunAsync(daemon, "config");
        var json = await Appliancectl.JsonAsync(daemon, "config");

        Assert.True(reload.ExitCode == 0, reload.Stderr);
        Assert.Contains("keep their running value until a restart: rtmp.listen", reload.Stdout, StringComparison.Ordinal);
        await daemon.WaitForLogAsync(l => l.Contains($"reloaded {daemon.ConfigPath}; these keys keep their running value until a restart: rtmp.listen", StringComparison.Ordinal), Wait);
        Assert.Equal("127.0.0.1:0", json.GetProperty("config").GetProperty("rtmp").GetProperty("listen").GetString());
        Assert.Equal(["rtmp.listen"], json.GetProperty("pendingRestart").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("\"listen\": \"127.0.0.1:0\"", human.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:1\"", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("pending restart: rtmp.listen", human.Stdout, StringComparison.Ordinal);
        // What config shows is what runs: the old RTMP port still takes publishers.
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
    }
}
