using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>The end of a stream over HLS: the playlist gets EXT-X-ENDLIST, stays served a while, and players stop by themselves.</summary>
public sealed class HlsEndTests
{
    [Fact]
    public async Task When_the_publisher_stops_the_playlist_ends_with_endlist_and_ffmpeg_reading_hls_exits_by_itself()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"publisherGraceMs\": 0");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/short"), seconds: 12);
        await StreamApi.WaitForFramesAsync(daemon, "short", minFrames: 50, TimeSpan.FromSeconds(30));
        var live = await Hls.WaitForPlaylistAsync(daemon, "/live/short.m3u8", p => p.Entries.Count >= 1, TimeSpan.FromSeconds(20), "a segment");
        Assert.False(live.Ended);

        // Asked for far more than the stream has: only the end of the playlist can stop it in time.
        await using var player = FfmpegPlayback.StartCopy(daemon.HttpUrl("live/short.m3u8"), seconds: 120);
        Assert.True(await publisher.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the publisher did not finish");
        await daemon.WaitForLogAsync(l => l.Contains("publish stop default/live/short", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        var ended = await Hls.WaitForPlaylistAsync(daemon, "/live/short.m3u8", p => p.Ended, TimeSpan.FromSeconds(10), "#EXT-X-ENDLIST");
        Assert.EndsWith("#EXT-X-ENDLIST\n", ended.Text);
        Assert.NotEmpty(ended.Entries);
        Assert.True(await player.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"ffmpeg kept reading the ended HLS stream\n{player.Stderr}");
        Assert.Equal(0, player.ExitCode);
        Assert.Empty(FfmpegPlayback.ErrorLines(player.Stderr));

        // The stream is gone for live protocols, but its playlist's end and segments stay for late players.
        Assert.Null(await StreamApi.FindAsync(daemon, "short"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var connection = await HttpConnection.OpenAsync(daemon.HttpPort, cts.Token);
        var again = await connection.SendAsync("/live/short.m3u8", cts.Token);
        Assert.Equal(200, again.Status);
        Assert.Equal(ended.Text, again.Text);
        Assert.Equal(200, (await connection.SendAsync("/live/" + ended.Entries[^1].Uri, cts.Token)).Status);
        Assert.Equal(404, (await connection.SendAsync("/live/short.ts", cts.Token)).Status);
        Assert.Equal(404, (await connection.SendAsync("/live/short.flv", cts.Token)).Status);
    }
}
