using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// ffmpeg publishes live/cam an hour in (640x360, 25 fps, a keyframe every second); headless
/// Chromium plays its CMAF outputs with hls.js (fMP4 HLS, LL-HLS) and dash.js (DASH, LL-DASH),
/// from a page on another origin, with the latency each player reports.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserCmafTests(AgedPublisherFixture live, ITestOutputHelper output) : IClassFixture<AgedPublisherFixture>
{
    [BrowserFact]
    public async Task Hls_js_plays_fmp4_hls_in_chromium_for_5_seconds_without_stalling()
    {
        var playback = await PlayAsync("hls", "live/cam/cmaf.m3u8", seconds: 6);

        AssertPlayed(playback, seconds: 5);
    }

    [BrowserFact]
    public async Task Hls_js_in_low_latency_mode_plays_ll_hls_for_30_seconds_without_stalling_under_2_seconds_behind()
    {
        var playback = await PlayAsync("hls", "live/cam/llhls.m3u8", seconds: 32, lowLatency: true);

        AssertPlayed(playback, seconds: 30);
        Assert.True(playback.LatencySamples >= 100, $"only {playback.LatencySamples} latency samples: {playback}");
        Assert.True(playback.LatencyMax < 2.0, $"hls.latency reached {playback.LatencyMax:F3} s: {playback}");
    }

    [BrowserFact]
    public async Task Dash_js_plays_dash_in_chromium_for_5_seconds_without_stalling()
    {
        var playback = await PlayAsync("dash", "live/cam.mpd", seconds: 6);

        AssertPlayed(playback, seconds: 5);
        Assert.Equal(0, playback.BufferEmptyEvents);
    }

    [BrowserFact]
    public async Task Dash_js_picks_low_latency_from_the_mpd_and_holds_under_2_5_seconds_behind_for_30_seconds()
    {
        var playback = await PlayAsync("dash", "live/cam.mpd?ll=1", seconds: 32);

        AssertPlayed(playback, seconds: 30);
        Assert.True(playback.LowLatencyMode == true, $"dash.js did not choose low-latency mode: {playback}");
        Assert.Equal(0, playback.BufferEmptyEvents);
        Assert.True(playback.LatencySamples >= 100, $"only {playback.LatencySamples} latency samples: {playback}");
        Assert.True(playback.LatencyMax < 2.5, $"getCurrentLiveLatency() reached {playback.LatencyMax:F3} s: {playback}");
    }

    private async Task<BrowserPlayback> PlayAsync(string player, string path, double seconds, bool lowLatency = false)
    {
        await RouteProbe.SkipUnlessServedAsync(live.Daemon, path);
        var logged = live.Daemon.Lines.Count;
        var playback = await BrowserPlayer.PlayAsync(player, live.Daemon.HttpUrl(path), seconds: seconds, timeoutSeconds: seconds + 90, lowLatency: lowLatency);
        output.WriteLine(playback.Json);
        // What the node said of this player's held and refused requests: beside the player's load
        // trace, it tells which request a buffer hole waited on and why it ended without its answer.
        foreach (var line in live.Daemon.Lines.Skip(logged).Where(IsAboutHeldRequests))
        {
            output.WriteLine(line);
        }
        return playback;
    }

    private static bool IsAboutHeldRequests(string line) =>
        line.Contains("held request", StringComparison.Ordinal) || line.Contains("had nothing new", StringComparison.Ordinal) ||
        line.Contains("LL-HLS request refused", StringComparison.Ordinal) || line.Contains("holds its maximum", StringComparison.Ordinal);

    private static void AssertPlayed(BrowserPlayback playback, double seconds)
    {
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}");
        Assert.True(playback.AdvancedSeconds >= seconds, $"currentTime advanced {playback.AdvancedSeconds:F2}s in {playback.WallSeconds:F2}s: {playback}");
        Assert.True(playback.WaitingEvents == 0, $"{playback.WaitingEvents} 'waiting' stalls ({playback.WaitingMs} ms) after playback started: {playback}");
        Assert.Equal(640, playback.VideoWidth);
        Assert.Equal(360, playback.VideoHeight);
        // 25 fps: at least 80% of the frames of the time played decoded and shown.
        Assert.True(playback.TotalFrames - playback.DroppedFrames >= 20 * seconds, $"only {playback.TotalFrames - playback.DroppedFrames} frames shown: {playback}");
    }
}
