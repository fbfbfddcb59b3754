using System.Security.Cryptography;
using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Tests.Support;

namespace Appliance.EndToEnd.Tests.Tls;

/// <summary>
/// Tiers over TLS: an upper node with HTTPS and RTMPS listeners and a certificate of a test CA;
/// edges pull from it over https:// (HTTP-FLV) and rtmps://, trusting that CA through tls.caFile,
/// refuse candidates whose certificate does not chain to it, does not name the host or does not
/// match the pin, and push to it over rtmps:// (with a push target's own CA file and pin, and
/// refusing targets whose certificate does not match them).
/// </summary>
public sealed class TlsTierTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly TestCertificates _ca = new();
    private readonly TestCertificates _otherCa = new("Another Test CA");
    private DaemonProcess _upper = null!;
    private ExternalProcess _publisher = null!;
    private string _upperPin = "";

    private int HttpsPort => _upper.PortOf("https");

    private int RtmpsPort => _upper.PortOf("rtmps");

    public async Task InitializeAsync()
    {
        var (cert, key, certificate) = _ca.Issue("upper", ["upper.test"]);
        _upperPin = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        _upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper") + $$"""
            "https": { "listen": "127.0.0.1:0" },
            "rtmps": { "listen": "127.0.0.1:0" },
            "tls": { "certificates": [ { "names": ["upper.test"], "cert": "{{cert}}", "key": "{{key}}" } ] },
            """);
        _publisher = Ffmpeg.Publish(_upper.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(_upper, "cam", minFrames: 30, Wait);
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _upper.DisposeAsync();
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public async Task An_edge_trusting_the_upper_nodes_ca_pulls_over_https_flv_and_over_pinned_rtmps_and_plays()
    {
        var https = $"https://127.0.0.1:{HttpsPort}/{{app}}/{{stream}}.flv";
        var rtmps = $"rtmps://127.0.0.1:{RtmpsPort}/live";
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.UpstreamsApp([$$"""{ "url": "{{https}}" }"""]),
            extraAppsJson: $$"""{ "name": "tv", {{Infrastructure.Tiers.UpstreamsApp([$$"""{ "url": "{{rtmps}}", "pinSha256": "{{_upperPin}}" }"""])}} }""",
            rootJson: Infrastructure.Tiers.Node("edge") + $$"""  "tls": { "caFile": "{{_ca.CaPath}}" },""");

        var flv = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.flv"), seconds: 3, Wait);
        var rtmp = await Ffmpeg.ProbeAsync(edge.RtmpUrl("tv/cam"), seconds: 3, Wait);

        foreach (var probe in new[] { flv, rtmp })
        {
            Assert.Equal("h264", probe.Video.CodecName);
            Assert.Equal(640, probe.Video.Width);
            Assert.Equal(360, probe.Video.Height);
            Assert.Equal("aac", probe.Audio.CodecName);
            var video = probe.PacketsOf(probe.Video);
            Assert.True(video.Count >= 40, $"only {video.Count} video packets");
            Assert.True(video[0].Key, "the first video packet is not a keyframe");
        }
        var sources = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray()
            .Select(s => s.GetProperty("source").GetString() ?? "").ToList();
        Assert.Contains(sources, s => s.Contains($"https://127.0.0.1:{HttpsPort}/", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains($"rtmps://127.0.0.1:{RtmpsPort}/live", StringComparison.Ordinal));
        // The prober measured the https candidate through TLS: its health answered over the handshaken connection.
        var route = await WaitForRouteAsync(edge, https, r => r.GetProperty("rttMs").ValueKind == JsonValueKind.Number);
        Assert.Equal(0, route.GetProperty("failures").GetInt32());
        Assert.DoesNotContain(edge.Lines, l => l.Contains("tls:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Candidates_with_a_certificate_of_another_ca_another_name_or_another_key_than_pinned_are_refused_with_the_reason_and_the_next_plays()
    {
        var flvPath = "/{app}/{stream}.flv";
        var wrongCa = $"https://127.0.0.1:{HttpsPort}{flvPath}";
        var wrongName = $"https://localhost:{HttpsPort}{flvPath}";
        var wrongPin = $"rtmps://127.0.0.1:{RtmpsPort}/live";
        var plain = Infrastructure.Tiers.Flv(_upper);
        var otherPin = Convert.ToBase64String(SHA256.HashData(_otherCa.Ca.PublicKey.ExportSubjectPublicKeyInfo()));
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.UpstreamsApp([
                $$"""{ "url": "{{wrongCa}}", "caFile": "{{_otherCa.CaPath}}" }""",
                $$"""{ "url": "{{wrongName}}" }""",
                $$"""{ "url": "{{wrongPin}}", "pinSha256": "sha256//{{otherPin}}" }""",
                $$"""{ "url": "{{plain}}", "priority": 1 }""",
            ]),
            rootJson: Infrastructure.Tiers.Node("edge") + $$"""  "tls": { "caFile": "{{_ca.CaPath}}" },""");

        var flv = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.flv"), seconds: 3, Wait);

        Assert.Equal("h264", flv.Video.CodecName);
        Assert.Equal(640, flv.Video.Width);
        Assert.Equal("aac", flv.Audio.CodecName);
        Assert.True(flv.PacketsOf(flv.Video).Count >= 40);
        var stream = Assert.Single((await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray());
        Assert.Contains($"http://127.0.0.1:{_upper.HttpPort}/", stream.GetProperty("source").GetString(), StringComparison.Ordinal);
        // Whoever met a refused candidate first (the pull or the prober) logged why.
        await edge.WaitForLogAsync(l => l.Contains($"https://127.0.0.1:{HttpsPort}", StringComparison.Ordinal)
            && l.Contains($"tls: certificate refused: it does not chain to the CAs of {_otherCa.CaPath}", StringComparison.Ordinal), Wait);
        await edge.WaitForLogAsync(l => l.Contains($"https://localhost:{HttpsPort}", StringComparison.Ordinal)
            && l.Contains("tls: certificate refused: it does not name localhost", StringComparison.Ordinal), Wait);
        await edge.WaitForLogAsync(l => l.Contains($"rtmps://127.0.0.1:{RtmpsPort}/live", StringComparison.Ordinal)
            && l.Contains($"tls: certificate refused: pin mismatch: its public key has SHA-256 {_upperPin}", StringComparison.Ordinal), Wait);
        var refused = await WaitForRouteAsync(edge, wrongPin, r => r.GetProperty("lastError").GetString() is not null);
        Assert.Contains("pin mismatch", refused.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_published_at_an_edge_is_pushed_over_rtmps_and_plays_at_the_upper_node()
    {
        await using var edge = await DaemonProcess.StartAsync(
            appJson: $$"""  "push": ["rtmps://127.0.0.1:{{RtmpsPort}}/live"] """,
            rootJson: Infrastructure.Tiers.Node("edge") + $$"""  "tls": { "caFile": "{{_ca.CaPath}}" },""");
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/pushed"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(edge, "pushed", minFrames: 30, Wait);

        var probe = await Ffmpeg.ProbeAsync(_upper.HttpUrl("live/pushed.flv"), seconds: 3, Wait);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.True(probe.PacketsOf(probe.Video).Count >= 40);
        await edge.WaitForLogAsync(l => l.Contains($"push default/live/pushed to rtmps://127.0.0.1:{RtmpsPort}/live: forwarding", StringComparison.Ordinal), Wait);
        // The upper node has the push as a publisher of its own (beside ffmpeg's "cam"), counted on its RTMPS listener.
        var pushed = (await Appliancectl.JsonAsync(_upper, "sessions")).GetProperty("sessions").EnumerateArray()
            .Where(s => s.GetProperty("protocol").GetString() == "rtmp-publish" && s.GetProperty("stream").GetString()!.EndsWith("pushed", StringComparison.Ordinal));
        Assert.Single(pushed);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(_upper.AdminUrl("metrics"));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("appliance_connections_accepted_total{listener=\"rtmps\"} ", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_push_target_with_its_own_ca_file_and_the_right_pin_is_forwarded_to_over_rtmps_and_plays_at_the_upper_node()
    {
        // The edge itself trusts only the system store: the target's caFile alone lets the handshake through.
        var target = $"rtmps://127.0.0.1:{RtmpsPort}/live";
        await using var edge = await DaemonProcess.StartAsync(
            appJson: $$"""  "push": [ { "url": "{{target}}", "caFile": "{{_ca.CaPath}}", "pinSha256": "sha256//{{_upperPin}}" } ] """,
            rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/pinned"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(edge, "pinned", minFrames: 30, Wait);
        // The upper node has the stream once the push's handshake and publish went through.
        await StreamApi.WaitForFramesAsync(_upper, "pinned", minFrames: 30, Wait);

        var probe = await Ffmpeg.ProbeAsync(_upper.HttpUrl("live/pinned.flv"), seconds: 3, Wait);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        var video = probe.PacketsOf(probe.Video);
        Assert.True(video.Count >= 40, $"only {video.Count} video packets");
        Assert.True(video[0].Key, "the first video packet is not a keyframe");
        await edge.WaitForLogAsync(l => l.Contains($"push default/live/pinned to {target}: forwarding", StringComparison.Ordinal), Wait);
        var push = Assert.Single(Assert.Single((await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray()).GetProperty("pushes").EnumerateArray());
        Assert.Equal("forwarding", push.GetProperty("state").GetString());
        Assert.Equal(1, push.GetProperty("sessions").GetInt32());
        Assert.DoesNotContain(edge.Lines, l => l.Contains("tls:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_targets_with_another_key_than_pinned_or_a_ca_file_they_do_not_chain_to_are_refused_with_the_reason_and_retried()
    {
        var pinned = $"rtmps://127.0.0.1:{RtmpsPort}/live";
        var otherCa = $"rtmps://127.0.0.1:{RtmpsPort}/other";
        var otherPin = Convert.ToBase64String(SHA256.HashData(_otherCa.Ca.PublicKey.ExportSubjectPublicKeyInfo()));
        // The node trusts the upper node's CA: each refusal is the target's own caFile or pin narrowing that.
        await using var edge = await DaemonProcess.StartAsync(
            appJson: $$"""
                "push": [ { "url": "{{pinned}}", "pinSha256": "{{otherPin}}" }, { "url": "{{otherCa}}", "caFile": "{{_otherCa.CaPath}}" } ]
                """,
            rootJson: Infrastructure.Tiers.Node("edge") + $$"""  "tls": { "caFile": "{{_ca.CaPath}}" },""");
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/refused"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(edge, "refused", minFrames: 30, Wait);

        var pinFailure = $"push default/live/refused to {pinned}: failed: tls: certificate refused: pin mismatch: its public key has SHA-256 {_upperPin}, pinSha256 is {otherPin}";
        var caFailure = $"push default/live/refused to {otherCa}: failed: tls: certificate refused: it does not chain to the CAs of {_otherCa.CaPath}";
        // Retried with backoff: each reason is logged again on the next attempt.
        await Conditions.UntilAsync(() => Task.FromResult(
            edge.Lines.Count(l => l.Contains(pinFailure, StringComparison.Ordinal)) >= 2 && edge.Lines.Count(l => l.Contains(caFailure, StringComparison.Ordinal)) >= 2),
            Wait, "both refusals logged twice");

        var pushes = Assert.Single((await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray()).GetProperty("pushes").EnumerateArray().ToList();
        Assert.Equal(2, pushes.Count);
        foreach (var push in pushes)
        {
            Assert.NotEqual("forwarding", push.GetProperty("state").GetString());
            Assert.Equal(0, push.GetProperty("sessions").GetInt32());
            Assert.StartsWith("tls: certificate refused: ", push.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(edge.Lines, l => l.Contains(": forwarding", StringComparison.Ordinal));
        // Nothing reached the upper node: its only stream is the one ffmpeg publishes there.
        var upperStreams = (await Appliancectl.JsonAsync(_upper, "streams")).GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("key").GetString()).ToList();
        Assert.Equal(["default/live/cam"], upperStreams);
    }

    /// <summary>The routes entry of <paramref name="url"/> at <paramref name="node"/> once <paramref name="ready"/> holds for it.</summary>
    private static async Task<JsonElement> WaitForRouteAsync(DaemonProcess node, string url, Func<JsonElement, bool> ready)
    {
        var route = default(JsonElement);
        await Conditions.UntilAsync(async () =>
        {
            var routes = (await Appliancectl.JsonAsync(node, "routes")).GetProperty("routes").EnumerateArray();
            route = routes.FirstOrDefault(r => r.GetProperty("url").GetString() == url);
            return route.ValueKind == JsonValueKind.Object && ready(route);
        }, Wait, $"route {url} as expected");
        return route;
    }
}
