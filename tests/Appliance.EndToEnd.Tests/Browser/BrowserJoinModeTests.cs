using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// mpegts.js in headless Chromium joins a stream (25 fps, a keyframe every 2 s, five hours in) in
/// each join mode, over HTTP-FLV and HTTP-TS, and plays it without a stall: in "live" it starts
/// at the live edge, with no buffer but what its own start-up leaves, and must still not wait.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserJoinModeTests(JoinModesFixture live, ITestOutputHelper output) : IClassFixture<JoinModesFixture>
{
    private const double MeasureSeconds = 6;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var mode in JoinModesFixture.Modes)
        {
            cases.Add(mode, "flv");
            cases.Add(mode, "mpegts");
        }
        return cases;
    }

    [BrowserTheory]
    [MemberData(nameof(Cases))]
    public async Task Mpegts_js_plays_a_stream_joined_in_each_mode_without_waiting(string mode, string type)
    {
        var path = $"{mode}/cam.{(type == "flv" ? "flv" : "ts")}";

        var playback = await BrowserPlayer.PlayAsync("mpegts", live.Daemon.HttpUrl(path), type, MeasureSeconds);

        output.WriteLine(playback.Json);
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}");
        Assert.True(playback.AdvancedSeconds >= 5, $"currentTime advanced {playback.AdvancedSeconds:F2}s in {playback.WallSeconds:F2}s: {playback}");
        Assert.True(playback.WaitingEvents == 0, $"{playback.WaitingEvents} 'waiting' stalls ({playback.WaitingMs} ms) after playback started: {playback}");
        Assert.Equal(640, playback.VideoWidth);
        Assert.True(playback.TotalFrames - playback.DroppedFrames >= 100, $"only {playback.TotalFrames - playback.DroppedFrames} frames shown: {playback}");
    }
}
