using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// Keys of encrypted HLS agree across a CDN: nodes with the same security.hlsKeySecret serve the
/// same key for the same stream and key index, so an edge's segment decrypts with the origin's
/// key; a node with another secret serves another key.
/// </summary>
public sealed class HlsEncryptionTierTests(ITestOutputHelper output)
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string OtherSecret = "fedcba9876543210fedcba9876543210";
    private const int Rotation = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static string Encrypted(string secret) => $$""" "security": { "hlsKeySecret": "{{secret}}" }, """;

    private static readonly string EncryptedHlsApp = $$""" "hls": { "encryption": { "enabled": true, "rotateEverySegments": {{Rotation}} } } """;

    [Fact]
    public async Task An_edge_and_its_origin_with_one_secret_serve_the_same_keys_and_another_secret_gives_other_keys()
    {
        await using var origin = await DaemonProcess.StartAsync(appJson: EncryptedHlsApp, rootJson: Infrastructure.Tiers.Node("origin") + Encrypted(Secret));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)], more: EncryptedHlsApp),
            rootJson: Infrastructure.Tiers.Node("edge") + Encrypted(Secret));
        await using var stranger = await DaemonProcess.StartAsync(appJson: EncryptedHlsApp, rootJson: Infrastructure.Tiers.Node("stranger") + Encrypted(OtherSecret));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var atOrigin = await Hls.WaitForPlaylistAsync(origin, "/live/cam.m3u8", p => p.Entries.Count >= 2, Wait, "2 segments at the origin");
        var atEdge = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8",
            p => p.Entries.Count >= 2 && p.Entries[^1].Sequence >= atOrigin.Entries[0].Sequence, Wait, "2 segments at the edge");
        output.WriteLine($"origin:\n{atOrigin.Text}\nedge:\n{atEdge.Text}");
        // The edge numbers its segments from the media as the origin does: same names, same key URIs.
        var number = atEdge.Entries[^1].Sequence;
        var originKeys = EncryptedHls.Keys((await Hls.GetAsync(origin, "/live/cam.m3u8", cts.Token)).Text);
        var edgeKeys = EncryptedHls.Keys(atEdge.Text);
        var keyUri = edgeKeys.Single(k => k.Sequence == number).KeyUri;
        Assert.Equal($"cam/key-{number / Rotation}.key", keyUri);
        Assert.Contains(originKeys, k => k.Sequence == number && k.KeyUri == keyUri);

        var originKey = await Hls.GetAsync(origin, "/live/" + keyUri, cts.Token);
        var edgeKey = await Hls.GetAsync(edge, "/live/" + keyUri, cts.Token);
        var strangerKey = await Hls.GetAsync(stranger, "/live/" + keyUri, cts.Token);
        Assert.Equal((200, 200, 200), (originKey.Status, edgeKey.Status, strangerKey.Status));
        Assert.Equal(16, originKey.Body.Length);
        Assert.Equal(originKey.Body, edgeKey.Body);
        Assert.NotEqual(originKey.Body, strangerKey.Body);
        // The next key index is another key.
        var nextKey = await Hls.GetAsync(origin, $"/live/cam/key-{number / Rotation + 1}.key", cts.Token);
        Assert.NotEqual(originKey.Body, nextKey.Body);

        // A segment cut at the edge decrypts with the key the origin serves.
        var edgeSegment = await Hls.GetAsync(edge, $"/live/cam/{number}.ts", cts.Token);
        Assert.Equal(200, edgeSegment.Status);
        EncryptedHls.AssertTs(EncryptedHls.Decrypt(edgeSegment.Body, originKey.Body, number), $"edge segment {number}");
    }
}
