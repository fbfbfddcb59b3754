using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// hls.js in Chromium plays AES-128 HLS with only the playlist URL signed: it fetches each key
/// with the session token the playlist wrote into the EXT-X-KEY URI, and decrypts in the browser.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserEncryptedHlsTests(HlsEncryptionTests.Fixture encrypted, ITestOutputHelper output) : IClassFixture<HlsEncryptionTests.Fixture>
{
    [BrowserFact]
    public async Task Hls_js_plays_the_encrypted_stream_across_key_rotations()
    {
        var path = "/live/cam.m3u8";
        var url = encrypted.Daemon.HttpUrl($"live/cam.m3u8?{Tokens.TypeA(path, HlsEncryptionTests.PlayKey, Tokens.Now)}");

        // Eight seconds of 2 s segments with a key per 2 segments: at least one rotation. The
        // segments are ciphertext, so time only advances if hls.js got and used the keys.
        var playback = await BrowserPlayer.PlayAsync("hls", url, seconds: 8);

        output.WriteLine(playback.Json);
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}");
        Assert.True(playback.AdvancedSeconds >= 7, $"currentTime advanced {playback.AdvancedSeconds:F2}s: {playback}");
        Assert.Equal(640, playback.VideoWidth);
    }
}
