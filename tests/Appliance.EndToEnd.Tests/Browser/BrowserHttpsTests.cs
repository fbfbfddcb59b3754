using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.EndToEnd.Tests.Tls;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// A page served over HTTPS, as on a real site (where http:// media is blocked as mixed content),
/// plays the node's https:// media with hls.js and mpegts.js in headless Chromium. Chromium trusts
/// the key of the test CA's leaf (the node's certificate, which the page's server presents too)
/// through --ignore-certificate-errors-spki-list and nothing else: trusting another key, the same
/// page is refused. (The flag matches keys of the chain the server presents, which holds the leaf
/// and not the CA.)
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
            BrowserPlayer.PlayAsync("mpegts", tls.HttpsUrl("live/cam.flv"), "flv", MeasureSeconds, timeoutSeconds: 60, pageTls: PageTls(stranger.Ca.PublicKey)));

        output.WriteLine(error.Message);
        Assert.Contains("ERR_CERT_AUTHORITY_INVALID", error.Message, StringComparison.Ordinal);
    }

    private async Task AssertPlaysAsync(string player, string path, string? type = null)
    {
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(tls.LiveCert));
        var playback = await BrowserPlayer.PlayAsync(player, tls.HttpsUrl(path), type, MeasureSeconds, pageTls: PageTls(leaf.PublicKey));

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

    /// <summary>The page served with the node's own certificate (a test-CA leaf naming 127.0.0.1), Chromium trusting the key <paramref name="trusted"/>.</summary>
    private BrowserPageTls PageTls(PublicKey trusted) =>
        new(tls.LiveCert, tls.LiveKey, [Convert.ToBase64String(SHA256.HashData(trusted.ExportSubjectPublicKeyInfo()))]);
}
