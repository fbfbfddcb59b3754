using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A daemon killed outright (SIGKILL: no stop, no cleanup) leaves no ffmpeg behind: the kernel
/// kills its children (PR_SET_PDEATHSIG), and their stdin ends anyway. Runs with an "always"
/// ladder, so its transcoder also shows that one starts with the source, before any viewer.
/// </summary>
[Collection(nameof(LadderDaemonKillTests))]
public sealed class LadderDaemonKillTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Sigkill_of_the_daemon_leaves_no_ffmpeg_running()
    {
        const string ladder = """
            "ladder": { "mode": "always", "rungs": [ { "label": "180p", "height": 180, "videoBitrate": "200k", "preset": "ultrafast" } ] }
            """;
        await using var daemon = await DaemonProcess.StartAsync(appJson: ladder);
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"), size: "640x360", gop: 50);
        var pid = 0;
        await Conditions.UntilAsync(async () =>
        {
            using var status = JsonDocument.Parse(await Http.GetStringAsync(daemon.AdminUrl("api/status")));
            pid = status.RootElement.GetProperty("transcode").GetProperty("transcoders").EnumerateArray().Select(t => t.GetProperty("pid").GetInt32()).FirstOrDefault();
            return pid > 0;
        }, TimeSpan.FromSeconds(30), "the always ladder's ffmpeg to start without a viewer");
        var children = ChildProcesses.Of(daemon.Pid).Where(c => c.Name == "ffmpeg").Select(c => c.Pid).ToList();
        Assert.Contains(pid, children);

        await daemon.SignalAsync("KILL");

        await Conditions.UntilAsync(() => Task.FromResult(!children.Any(ChildProcesses.IsRunning)), TimeSpan.FromSeconds(5),
            $"the daemon's ffmpeg children ({string.Join(", ", children)}) to be gone");
    }
}
