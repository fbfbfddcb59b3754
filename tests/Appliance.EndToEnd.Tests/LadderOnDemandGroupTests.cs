using System.Diagnostics;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.EndToEnd.Tests.Renditions;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// An on-demand ladder's group asked for before any rung: a player reads a multivariant playlist
/// once, so the first one must already list the rungs it started; and a player that stays on the
/// source keeps the transcoder running, so the rungs are there when it switches down.
/// </summary>
public sealed class LadderOnDemandGroupTests(ITestOutputHelper output)
{
    private const string Ladder = """
        "ladder": { "rungs": [ { "label": "180p", "height": 180, "videoBitrate": "200k", "preset": "ultrafast" } ], "idleStopSeconds": 5 }
        """;

    [Fact]
    public async Task The_first_request_for_a_group_starts_the_transcoder_and_lists_its_rungs_and_players_of_the_source_keep_it_running()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: Ladder);
        await using var source = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"), size: "640x360", fps: 25, gop: 50, startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var clock = Stopwatch.StartNew();
        var index = await Hls.GetAsync(daemon, "/live/cam/index.m3u8", cts.Token);
        output.WriteLine($"the group's first playlist, with the transcoder started for it, took {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(200, index.Status);
        Assert.Equal([("../cam_180p.m3u8", 180), ("../cam.m3u8", 360)], RenditionsTests.Variants(index.Text).Select(v => (v.Uri, v.Height)));

        // A player on the source reloads only the source's playlist, for twice the idle time: nobody watches the rung itself.
        var until = clock.Elapsed + TimeSpan.FromSeconds(10);
        while (clock.Elapsed < until)
        {
            Assert.Equal(200, (await Hls.GetAsync(daemon, "/live/cam.m3u8", cts.Token)).Status);
            await Task.Delay(1000, cts.Token);
        }
        var again = await Hls.GetAsync(daemon, "/live/cam/index.m3u8", cts.Token);

        Assert.False(daemon.HasLog(l => l.Contains("transcode default/live/cam: stopped", StringComparison.Ordinal)), string.Join('\n', daemon.Lines.TakeLast(20)));
        Assert.Single(daemon.Lines, l => l.Contains("transcode default/live/cam: ffmpeg pid", StringComparison.Ordinal) && l.Contains(" makes ", StringComparison.Ordinal));
        Assert.Equal(["../cam_180p.m3u8", "../cam.m3u8"], RenditionsTests.Variants(again.Text).Select(v => v.Uri));
        // Without players it stops after its idle time.
        await daemon.WaitForLogAsync(l => l.Contains("transcode default/live/cam: stopped (no viewer of a rung for 5 s)", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }
}
