using Appliance.EndToEnd.Tests.Renditions;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// Adaptive playback of a rendition group in headless Chromium over an emulated 20 Mbit/s link
/// with 20 ms of latency: the top rendition (640x360, about 1.5 Mbit/s at its peak in TS) plays,
/// the page's network is throttled below it through the DevTools protocol, the player switches
/// down and plays on without a stall, and climbs back once the link is whole again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserRenditionsTests(RenditionsFixture live, ITestOutputHelper output) : IClassFixture<RenditionsFixture>
{
    // Below the top rendition (1.2 Mbit/s of video, 1.5 with audio and TS), well above cam_240p's
    // 350 kbit/s with its audio; held 4 s past the switch down: the lower rendition must play on under it.
    // Once back at the top for 8 s the climb is shown; the rest of a 60 s run would add nothing.
    private static readonly BrowserThrottle Throttle = new(Kbps: 1000, AtHeight: 360, Seconds: 4, EndAfterTopSeconds: 8);

    [BrowserFact]
    public async Task Hls_js_switches_down_under_a_throttle_without_stalling_and_climbs_back()
    {
        await AssertAdaptsAsync("hls", "live/cam/index.m3u8");
    }

    [BrowserFact]
    public async Task Dash_js_switches_down_under_a_throttle_without_stalling_and_climbs_back()
    {
        await AssertAdaptsAsync("dash", "live/cam.mpd");
    }

    private async Task AssertAdaptsAsync(string player, string path)
    {
        // At most 60 s: hls.js shows the top rendition again up to 18 s after the link is whole (its
        // slow bandwidth average, then its buffer of the lower one plays out), measured at 38 s of 40.
        var playback = await BrowserPlayer.PlayAsync(player, live.Daemon.HttpUrl(path), seconds: 60, timeoutSeconds: 75, throttle: Throttle);

        output.WriteLine(playback.Json);
        var throttled = playback.Notes.FirstOrDefault(n => n.Name.StartsWith("throttled", StringComparison.Ordinal))?.AfterMs;
        var unthrottled = playback.Notes.FirstOrDefault(n => n.Name == "unthrottled")?.AfterMs;
        Assert.True(throttled is not null && unthrottled is not null, $"the top rendition never played, so nothing was throttled: {playback}");
        // The picture the viewer sees: smaller after the throttle (the buffered top segments play out first), then 360 lines again.
        var down = playback.Heights.FirstOrDefault(h => h[0] > throttled && h[1] is > 0 and < 360);
        Assert.True(down is not null && down[0] < unthrottled, $"never switched below 360 lines under the throttle ({throttled} to {unthrottled} ms): {playback}");
        Assert.True(playback.Waits.All(w => w.AfterMs < down![0]), $"stalled after switching down at {down![0]} ms: {playback}");
        Assert.True(playback.Heights.Any(h => h[0] > down[0] && h[1] == 360) && playback.Heights[^1][1] == 360, $"did not climb back to 360 lines: {playback}");
        Assert.DoesNotContain(playback.Errors, e => e.TryGetProperty("fatal", out var fatal) && fatal.GetBoolean());
    }
}
