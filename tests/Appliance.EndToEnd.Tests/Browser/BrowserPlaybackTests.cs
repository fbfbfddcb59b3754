using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>Browser tests run alone: their no-stall assertions must not compete for the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser playback";
}

/// <summary>
/// ffmpeg publishes live/cam (640x360, 25 fps); headless Chromium plays it as a viewer's page
/// would, with hls.js and mpegts.js, from a page on another origin.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserPlaybackTests(LivePublisherFixture live, ITestOutputHelper output) : IClassFixture<LivePublisherFixture>
{
    // Measured from the first 'playing' event; one second more than asserted, for the clocks.
    private const double MeasureSeconds = 6;

    [BrowserFact]
    public async Task Mpegts_js_plays_http_flv_in_chromium_for_5_seconds_without_stalling()
    {
        await AssertPlaysAsync("mpegts", "live/cam.flv", type: "flv");
    }

    [BrowserFact]
    public async Task Mpegts_js_plays_http_ts_in_chromium_for_5_seconds_without_stalling()
    {
        await AssertPlaysAsync("mpegts", "live/cam.ts", type: "mpegts");
    }

    [BrowserFact]
    public async Task Hls_js_plays_hls_in_chromium_for_5_seconds_without_stalling()
    {
        await AssertPlaysAsync("hls", "live/cam.m3u8");
    }

    private async Task AssertPlaysAsync(string player, string path, string? type = null)
    {
        await RouteProbe.SkipUnlessServedAsync(live.Daemon, path);

        var playback = await BrowserPlayer.PlayAsync(player, live.Daemon.HttpUrl(path), type, MeasureSeconds);

        output.WriteLine(playback.Json);
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}");
        Assert.True(playback.AdvancedSeconds >= 5, $"currentTime advanced {playback.AdvancedSeconds:F2}s in {playback.WallSeconds:F2}s: {playback}");
        Assert.True(playback.WaitingEvents == 0, $"{playback.WaitingEvents} 'waiting' stalls ({playback.WaitingMs} ms) after playback started: {playback}");
        Assert.Equal(640, playback.VideoWidth);
        Assert.Equal(360, playback.VideoHeight);
        // 25 fps: at least 4 s of frames decoded and shown, so time did not run on audio alone.
        Assert.True(playback.TotalFrames - playback.DroppedFrames >= 100, $"only {playback.TotalFrames - playback.DroppedFrames} frames shown: {playback}");
    }
}
