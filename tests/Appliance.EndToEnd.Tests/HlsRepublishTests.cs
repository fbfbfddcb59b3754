using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>A publisher of an old stream that drops and comes back within the grace period: HLS marks the break, dates stay true, and it plays on.</summary>
public sealed class HlsRepublishTests
{
    [Fact]
    public async Task A_republish_of_an_hour_old_stream_puts_one_discontinuity_in_the_playlist_keeps_its_dates_true_and_hls_playback_goes_on()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"publisherGraceMs\": 15000");
        // Longer than the 12 s HLS window; media an hour in, headers at 0.
        await using var first = Ffmpeg.Publish(daemon.RtmpUrl("live/re"), seconds: 14, startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(daemon, "re", minFrames: 50, TimeSpan.FromSeconds(30));
        var before = await Hls.WaitForPlaylistAsync(daemon, "/live/re.m3u8", p => p.Entries.Count >= 2, TimeSpan.FromSeconds(20), "two segments");
        Assert.Equal(0, before.DiscontinuityTags);
        await using var player = FfmpegPlayback.StartCopy(daemon.HttpUrl("live/re.m3u8"), seconds: 20);

        Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the first publisher did not finish");
        await daemon.WaitForLogAsync(l => l.Contains("publish stop default/live/re", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await using var second = Ffmpeg.Publish(daemon.RtmpUrl("live/re"), seconds: 30, startSeconds: 2 * Ffmpeg.AnHourIn);

        var after = await Hls.WaitForPlaylistAsync(daemon, "/live/re.m3u8",
            p => p.Entries.SkipWhile(e => !e.Discontinuity).Count() >= 2, TimeSpan.FromSeconds(30), "a discontinuity and two segments after it");
        Assert.Equal(1, after.DiscontinuityTags);
        Assert.False(after.Ended);
        var breakAt = after.Entries.First(e => e.Discontinuity);
        var lastBefore = after.Entries.Last(e => e.Sequence < breakAt.Sequence);
        Assert.Equal(lastBefore.Sequence + 1, breakAt.Sequence);
        // The newest segment was live a moment ago: its program date-time ends near now, not hours away.
        var newest = after.Entries[^1];
        var endedAt = newest.ProgramDateTime!.Value.AddSeconds(newest.Duration);
        Assert.True(Math.Abs((endedAt - DateTimeOffset.UtcNow).TotalSeconds) < 5, $"the newest segment ended at {endedAt:O}, now is {DateTimeOffset.UtcNow:O}:\n{after.Text}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await using var connection = await HttpConnection.OpenAsync(daemon.HttpPort, cts.Token);
        foreach (var entry in new[] { lastBefore, breakAt, after.Entries[^1] })
        {
            var segment = await connection.SendAsync("/live/" + entry.Uri, cts.Token);
            Assert.Equal(200, segment.Status);
            Assert.Equal(0x47, segment.Body[0]);
        }

        // The player reads across the break; it finishes its 14 s (or is still playing), without failing.
        if (await player.WaitForExitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.True(player.ExitCode == 0, $"ffmpeg exited {player.ExitCode}:\n{player.Stderr}");
        }
        Assert.Empty(FfmpegPlayback.ErrorLines(player.Stderr));
        Assert.False(second.HasExited, "the second publisher was refused");
    }
}
