using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// hls.js in Chromium plays a token-protected stream when only the playlist URL is signed: the
/// appliance carries the authorization into the segment URLs it writes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserAuthTests(AuthTests.Fixture secured, ITestOutputHelper output) : IClassFixture<AuthTests.Fixture>
{
    [BrowserFact]
    public async Task Hls_js_plays_a_protected_stream_with_only_the_playlist_url_signed()
    {
        var path = "/secure/cam.m3u8";
        var url = secured.Daemon.HttpUrl($"secure/cam.m3u8?{Tokens.TypeA(path, AuthTests.PlayKey, Tokens.Now)}");

        var playback = await BrowserPlayer.PlayAsync("hls", url, seconds: 6);

        output.WriteLine(playback.Json);
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}");
        Assert.True(playback.AdvancedSeconds >= 5, $"currentTime advanced {playback.AdvancedSeconds:F2}s: {playback}");
        Assert.Equal(0, playback.WaitingEvents);
        Assert.Equal(640, playback.VideoWidth);
    }

    [BrowserFact]
    public async Task Hls_js_cannot_play_the_protected_stream_without_a_token()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BrowserPlayer.PlayAsync("hls", secured.Daemon.HttpUrl("secure/cam.m3u8"), seconds: 3, timeoutSeconds: 30));

        output.WriteLine(failure.Message);
        Assert.Contains("status 403", failure.Message, StringComparison.Ordinal);
    }
}
