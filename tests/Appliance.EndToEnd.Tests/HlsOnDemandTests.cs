using System.Diagnostics;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>HLS is packaged when a player first asks for it (or always, where the app says so).</summary>
public sealed class HlsOnDemandTests
{
    [Fact]
    public async Task Nothing_is_segmented_before_a_request_and_the_first_playlist_answers_within_5s_with_a_segment()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 100, TimeSpan.FromSeconds(30));

        var idle = await SegmentCacheStatus.GetAsync(daemon);
        Assert.Equal(0, idle.Segments);
        Assert.Equal(0, idle.Bytes);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var response = await Hls.GetAsync(daemon, "/live/cam.m3u8", cts.Token);
        var elapsed = clock.Elapsed;

        Assert.Equal(200, response.Status);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the first playlist took {elapsed.TotalSeconds:F2}s");
        var playlist = HlsPlaylist.Parse(response.Text);
        Assert.NotEmpty(playlist.Entries);
        var status = await SegmentCacheStatus.GetAsync(daemon);
        Assert.True(status.Segments >= playlist.Entries.Count);
        Assert.True(status.Bytes > 0);
        var segment = await Hls.GetAsync(daemon, "/live/" + playlist.Entries[0].Uri, cts.Token);
        Assert.Equal(200, segment.Status);
    }

    [Fact]
    public async Task A_playlist_asked_for_as_the_stream_starts_answers_once_it_lists_three_segments()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/fresh"));
        // As soon as the stream exists: its log holds no finished segment yet.
        await StreamApi.WaitForFramesAsync(daemon, "fresh", minFrames: 1, TimeSpan.FromSeconds(30));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var response = await Hls.GetAsync(daemon, "/live/fresh.m3u8", cts.Token);
        var elapsed = clock.Elapsed;

        // hls.minSegments (3) segments of 2 s are cut in real time, so a player starts with a buffer:
        // the answer comes once they exist, not at the first one.
        Assert.Equal(200, response.Status);
        Assert.True(elapsed < TimeSpan.FromSeconds(9), $"the first playlist took {elapsed.TotalSeconds:F2}s");
        Assert.True(HlsPlaylist.Parse(response.Text).Entries.Count >= 3, response.Text);
    }

    [Fact]
    public async Task With_hls_always_segments_exist_before_any_request()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"hls\": { \"always\": true }");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 1, TimeSpan.FromSeconds(30));

        var status = await Hls.WaitForCacheAsync(daemon, s => s.Segments >= 2, TimeSpan.FromSeconds(20), "two segments");

        Assert.True(status.Bytes > 0);
        Assert.Equal(0, status.Hits + status.Misses);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var playlist = HlsPlaylist.Parse((await Hls.GetAsync(daemon, "/live/cam.m3u8", cts.Token)).Text);
        Assert.True(playlist.Entries.Count >= 2);
    }

    [Fact]
    public async Task A_playlist_of_a_missing_stream_or_app_is_404()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var connection = await HttpConnection.OpenAsync(daemon.HttpPort, cts.Token);

        Assert.Equal(404, (await connection.SendAsync("/live/nobody.m3u8", cts.Token)).Status);
        Assert.Equal(404, (await connection.SendAsync("/live/nobody/1.ts", cts.Token)).Status);
        Assert.Equal(404, (await connection.SendAsync("/noapp/cam.m3u8", cts.Token)).Status);
        Assert.Equal(404, (await connection.SendAsync("/live/nobody.ts", cts.Token)).Status);
        Assert.Equal(0, (await SegmentCacheStatus.GetAsync(daemon)).Segments);
    }
}
