using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>An origin with ffmpeg publishing live/cam an hour in, and an edge pulling it over RTMP, already packaging CMAF.</summary>
public sealed class AgedEdgeFixture : IAsyncLifetime
{
    public DaemonProcess Origin { get; private set; } = null!;

    public DaemonProcess Edge { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        Edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(Origin)]), rootJson: Infrastructure.Tiers.Node("edge"));
        Publisher = Ffmpeg.Publish(Origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(Origin, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
        // The first playlist request at the edge starts the pull and waits for the first segments.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await CmafFetch.PlaylistAsync(Edge, "video-ll.m3u8", "video", cts.Token);
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Edge.DisposeAsync();
        await Origin.DisposeAsync();
    }
}

/// <summary>
/// Headless Chromium plays CMAF through origin ← edge: hls.js LL-HLS and dash.js LL-DASH from the
/// edge, with the latency each player reports. Both measure against the edge (hls.js from its
/// playlist's live edge, dash.js from its MPD's availabilityStartTime and /api/time); what the pull
/// adds before that is measured by CmafTierTests.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserCmafTierTests(AgedEdgeFixture tiers, ITestOutputHelper output) : IClassFixture<AgedEdgeFixture>
{
    [BrowserFact]
    public async Task Hls_js_plays_ll_hls_from_an_edge_for_30_seconds_without_stalling_under_2_seconds_behind()
    {
        var (playback, nodes) = await PlayAsync("hls", "live/cam/llhls.m3u8", lowLatency: true);

        AssertPlayed(playback, nodes);
        Assert.True(playback.LatencyMax < 2.0, $"hls.latency reached {playback.LatencyMax:F3} s: {playback}{nodes}");
    }

    [BrowserFact]
    public async Task Dash_js_plays_ll_dash_from_an_edge_for_30_seconds_without_stalling_under_2_5_seconds_behind()
    {
        var (playback, nodes) = await PlayAsync("dash", "live/cam.mpd?ll=1");

        AssertPlayed(playback, nodes);
        Assert.True(playback.LowLatencyMode == true, $"dash.js did not choose low-latency mode: {playback}{nodes}");
        // dash.js's BUFFER_EMPTY is its buffer at or under lowLatencyStallThreshold (0.3 s), not a
        // stall: through a tier on a busy machine a late part dips under it while the video plays
        // on. What a viewer sees is a 'waiting' stall (none, above) or a frozen picture.
        Assert.True(playback.LongestFreezeMs < 1000, $"the picture froze for {playback.LongestFreezeMs} ms: {playback}{nodes}");
        Assert.True(playback.LatencyMax < 2.5, $"getCurrentLiveLatency() reached {playback.LatencyMax:F3} s: {playback}{nodes}");
    }

    /// <summary>The player's record, and what the edge and the origin logged meanwhile (a failure's other half).</summary>
    private async Task<(BrowserPlayback Playback, string Nodes)> PlayAsync(string player, string path, bool lowLatency = false)
    {
        var edgeFrom = tiers.Edge.Lines.Count;
        var originFrom = tiers.Origin.Lines.Count;
        var playback = await BrowserPlayer.PlayAsync(player, tiers.Edge.HttpUrl(path), seconds: 32, timeoutSeconds: 32 + 90, lowLatency: lowLatency);
        output.WriteLine(playback.Json);
        var nodes = $"\nedge logged:\n{LogSince(tiers.Edge, edgeFrom)}\norigin logged:\n{LogSince(tiers.Origin, originFrom)}";
        output.WriteLine(nodes);
        return (playback, nodes);
    }

    /// <summary>
    /// A node's lines since <paramref name="from"/> (a hold that ran out or was left, a pull that
    /// stalled or reconnected, each connection's access line) but the edge's route probes, which
    /// the origin logs as connections closed during the handshake every few seconds.
    /// </summary>
    private static string LogSince(DaemonProcess node, int from)
    {
        var lines = node.Lines.Skip(from).Where(line => !line.Contains("closed during handshake", StringComparison.Ordinal)).ToList();
        const int Max = 60;
        var shown = lines.Count > Max ? lines[^Max..] : lines;
        return (lines.Count > Max ? $"({lines.Count - Max} earlier lines left out)\n" : "") + string.Join('\n', shown);
    }

    private static void AssertPlayed(BrowserPlayback playback, string nodes)
    {
        Assert.True(playback.Errors.Count == 0, $"player errors: {playback}{nodes}");
        Assert.True(playback.AdvancedSeconds >= 30, $"currentTime advanced {playback.AdvancedSeconds:F2}s in {playback.WallSeconds:F2}s: {playback}{nodes}");
        Assert.True(playback.WaitingEvents == 0, $"{playback.WaitingEvents} 'waiting' stalls ({playback.WaitingMs} ms) after playback started: {playback}{nodes}");
        Assert.Equal(640, playback.VideoWidth);
        Assert.Equal(360, playback.VideoHeight);
        // 25 fps: at least 80% of the frames of the time played decoded and shown.
        Assert.True(playback.TotalFrames - playback.DroppedFrames >= 20 * 30, $"only {playback.TotalFrames - playback.DroppedFrames} frames shown: {playback}{nodes}");
        Assert.True(playback.LatencySamples >= 100, $"only {playback.LatencySamples} latency samples: {playback}{nodes}");
    }
}
