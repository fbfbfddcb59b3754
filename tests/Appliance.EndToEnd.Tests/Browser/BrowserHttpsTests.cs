using System.Security.Cryptography;
using Appliance.EndToEnd.Tests.Tls;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// A page served over HTTPS, as on a real site (where http:// media is blocked as mixed content),
/// plays the node's https:// media with hls.js and mpegts.js in headless Chromium. Chromium trusts
/// the test CA's key through --ignore-certificate-errors-spki-list and nothing else: the same page
/// trusting another key is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserHttpsTests(TlsFixture tls, ITestOutputHelper output) : IClassFixture<TlsFixture>
{
    private const double MeasureSeconds = 6;

    [BrowserFact]
    public async Task Mpegts_js_on_an_https_page_plays_https_flv_in_chromium_for_5_seconds_without_stalling()
    {
        await AssertPlaysAsync("mpegts", "live/cam.flv", type: "flv");
    }

    [BrowserFact]
    public async Task Hls_js_on_an_https_page_plays_https_hls_in_chromium_for_5_seconds_without_stalling()
    {
        await AssertPlaysAsync("hls", "live/cam.m3u8");
    }

    [BrowserFact]
    public async Task Chromium_trusting_another_key_than_the_test_cas_refuses_the_https_page()
    {
        using var stranger = new Appliance.Tests.Support.TestCertificates("Some Other CA");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BrowserPlayer.PlayAsync("mpegts", tls.HttpsUrl("live/cam.flv"), "flv", MeasureSeconds, timeoutSeconds: 60, pageTls: PageTls(stranger.Ca)));

        output.WriteLine(error.Message);
        Assert.Contains("ERR_CERT_AUTHORITY_INVALID", error.Message, StringComparison.Ordinal);
    }

    private async Task AssertPlaysAsync(string player, string path, string? type = null)
    {
        var playback = await BrowserPlayer.PlayAsync(player, tls.HttpsUrl(path), type, MeasureSeconds, pageTls: PageTls(tls.Ca.Ca));

        output.WriteLine(playback.Json);
        Assert.StartsWith("https://127.0.0.1:", playback.PageUrl, StringComparison.Ordinal);
        Assert.True(playback.SecureContext, $"the page was not a secure context: {playback}");
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}");
        Assert.True(playback.AdvancedSeconds >= 5, $"currentTime advanced {playback.AdvancedSeconds:F2}s in {playback.WallSeconds:F2}s: {playback}");
        Assert.True(playback.WaitingEvents == 0, $"{playback.WaitingEvents} 'waiting' stalls ({playback.WaitingMs} ms) after playback started: {playback}");
        Assert.Equal(640, playback.VideoWidth);
        Assert.Equal(360, playback.VideoHeight);
        // 25 fps: at least 4 s of frames decoded and shown, so time did not run on audio alone.
        Assert.True(playback.TotalFrames - playback.DroppedFrames >= 100, $"only {playback.TotalFrames - playback.DroppedFrames} frames shown: {playback}");
    }

    /// <summary>The page served with the node's own certificate (a test-CA leaf naming 127.0.0.1), Chromium trusting <paramref name="trusted"/>'s key.</summary>
    private BrowserPageTls PageTls(System.Security.Cryptography.X509Certificates.X509Certificate2 trusted) =>
        new(tls.LiveCert, tls.LiveKey, [Convert.ToBase64String(SHA256.HashData(trusted.PublicKey.ExportSubjectPublicKeyInfo()))]);
}
