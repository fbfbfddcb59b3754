using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Codecs.MpegTs;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// ffmpeg publishes over RTMP (keyframe every second); players read it back over HLS: ffprobe,
/// ffmpeg, and the raw playlist and segment responses with the node's cache counters.
/// </summary>
public sealed partial class HlsTests(LivePublisherFixture live) : IClassFixture<LivePublisherFixture>
{
    private const string PlaylistPath = "/live/cam.m3u8";
    private const int WindowSegments = 6;
    private const int ExtraSegments = 4;
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(45);

    private DaemonProcess Daemon => live.Daemon;

    [Fact]
    public async Task Ffprobe_reads_10s_of_h264_640x360_and_aac_with_continuous_timestamps()
    {
        var probe = await Ffmpeg.ProbeAsync(Daemon.HttpUrl("live/cam.m3u8"), seconds: 10, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.Equal(2, probe.Streams.Count);
        Assert.True(probe.PacketsOf(probe.Video)[0].Key, "the first video packet is not a keyframe");
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 9.5);
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Fact]
    public async Task Ffmpeg_copies_10s_without_an_error_line()
    {
        await using var player = await FfmpegPlayback.CopyAsync(Daemon.HttpUrl("live/cam.m3u8"), 10, PlayTimeout);

        Assert.Equal(0, player.ExitCode);
        Assert.Empty(FfmpegPlayback.ErrorLines(player.Stderr));
    }

    [Fact]
    public async Task The_playlist_slides_with_at_most_six_segments_each_within_the_target_duration()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = await Hls.GetAsync(Daemon, PlaylistPath, cts.Token);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.apple.mpegurl", response.Header("Content-Type"));
        var first = HlsPlaylist.Parse(response.Text);
        Assert.NotEmpty(first.Entries);
        // About half a segment, so players polling at the target duration see each new list.
        var maxAge = int.Parse(MaxAge().Match(response.Header("Cache-Control") ?? "").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(maxAge, 1, Math.Max(1, (first.TargetDuration + 1) / 2));

        var durations = new Dictionary<long, double>();
        var previous = first;
        var last = await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.MediaSequence >= first.MediaSequence + 3, TimeSpan.FromSeconds(30),
            "a media sequence 3 past the first", each: playlist =>
            {
                Assert.InRange(playlist.Entries.Count, 1, WindowSegments);
                Assert.True(playlist.MediaSequence >= previous.MediaSequence, $"media sequence went back: {previous.MediaSequence} -> {playlist.MediaSequence}");
                Assert.False(playlist.Ended);
                Assert.Equal(0, playlist.DiscontinuityTags);
                foreach (var entry in playlist.Entries)
                {
                    Assert.True(entry.Duration <= playlist.TargetDuration, $"EXTINF {entry.Duration} > target {playlist.TargetDuration}");
                    // A segment is immutable: its duration never changes from one list to the next.
                    if (durations.TryGetValue(entry.Sequence, out var seen))
                    {
                        Assert.Equal(seen, entry.Duration);
                    }
                    durations[entry.Sequence] = entry.Duration;
                }
                previous = playlist;
            });

        Assert.Equal(WindowSegments, last.Entries.Count);
        Assert.Equal(2, last.TargetDuration);
        Assert.All(last.Entries, e => Assert.InRange(e.Duration, 1.9, 2.0));
    }

    [Fact]
    public async Task Segments_are_immutable_video_mp2t_of_their_stated_length_and_a_repeat_is_a_cache_hit()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var playlist = await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.Entries.Count >= 2, TimeSpan.FromSeconds(20), "two segments");
        var entry = playlist.Entries[^2];
        await using var connection = await HttpConnection.OpenAsync(Daemon.HttpPort, cts.Token);
        var before = await SegmentCacheStatus.GetAsync(Daemon);

        var segment = await connection.SendAsync(SegmentPath(entry), cts.Token);
        var again = await connection.SendAsync(SegmentPath(entry), cts.Token);
        var head = await connection.SendAsync(SegmentPath(entry), cts.Token, method: "HEAD");

        var after = await SegmentCacheStatus.GetAsync(Daemon);
        Assert.Equal(before.Hits + 3, after.Hits);
        Assert.Equal(before.Misses, after.Misses);
        Assert.Equal(200, segment.Status);
        Assert.Equal("video/mp2t", segment.Header("Content-Type"));
        Assert.Equal((long)segment.Body.Length, segment.Head.ContentLength);
        Assert.Contains("immutable", segment.Header("Cache-Control"));
        Assert.Contains("max-age=", segment.Header("Cache-Control"));
        Assert.Equal(segment.Body, again.Body);
        Assert.Equal(200, head.Status);
        Assert.Equal(segment.Head.ContentLength, head.Head.ContentLength);
        // The segment plays on its own: PAT first, a keyframe first, both tracks, within its EXTINF.
        Assert.Equal(0, segment.Body.Length % TsPacket.Size);
        Assert.Equal(TsPacket.SyncByte, segment.Body[0]);
        Assert.Equal(TsPacket.PatPid, ((segment.Body[1] & 0x1F) << 8) | segment.Body[2]);
        var demuxer = new TsDemuxer();
        demuxer.Write(segment.Body);
        demuxer.Flush();
        var units = new List<TsAccessUnit>();
        while (demuxer.TryRead(out var unit))
        {
            units.Add(unit);
        }
        var video = units.Where(u => u.Pid == TsMuxer.VideoPid).ToList();
        Assert.True(video[0].IsKeyFrame);
        Assert.Contains(units, u => u.Pid == TsMuxer.AudioPid);
        Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits);
        var videoSeconds = (video[^1].Dts - video[0].Dts) / 90_000.0;
        Assert.InRange(videoSeconds, entry.Duration - 0.1, entry.Duration);
    }

    [Fact]
    public async Task A_segment_that_left_the_window_is_404_and_counts_a_miss()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var playlist = await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.Entries.Count >= 1, TimeSpan.FromSeconds(20), "a segment");
        var oldest = playlist.Entries[0];
        Assert.Equal(200, (await Hls.GetAsync(Daemon, SegmentPath(oldest), cts.Token)).Status);

        // The window lists six and keeps four more for players that are behind; one more slide and it is gone.
        await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.MediaSequence > oldest.Sequence + ExtraSegments, TimeSpan.FromSeconds(40),
            $"media sequence past {oldest.Sequence + ExtraSegments}");
        var before = await SegmentCacheStatus.GetAsync(Daemon);
        var gone = await Hls.GetAsync(Daemon, SegmentPath(oldest), cts.Token);
        var after = await SegmentCacheStatus.GetAsync(Daemon);

        Assert.Equal(404, gone.Status);
        Assert.Equal(before.Misses + 1, after.Misses);
        Assert.Equal(before.Hits, after.Hits);
        Assert.True(after.Evictions > 0);
        Assert.InRange(after.Segments, WindowSegments, WindowSegments + ExtraSegments);
    }

    [Theory]
    [InlineData("abc.ts")]
    [InlineData("-1.ts")]
    [InlineData("99999999999999999999.ts")]
    [InlineData("1.5.ts")]
    [InlineData(".ts")]
    [InlineData("0x10.ts")]
    public async Task A_malformed_segment_name_is_404_and_the_connection_stays_usable(string name)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var playlist = await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.Entries.Count >= 1, TimeSpan.FromSeconds(20), "a segment");
        await using var connection = await HttpConnection.OpenAsync(Daemon.HttpPort, cts.Token);

        var bad = await connection.SendAsync("/live/cam/" + name, cts.Token);
        var good = await connection.SendAsync(SegmentPath(playlist.Entries[^1]), cts.Token);

        Assert.Equal(404, bad.Status);
        Assert.Equal(200, good.Status);
        Assert.True(good.Body.Length > 0);
        Assert.False(Daemon.HasExited);
    }

    private static string SegmentPath(HlsEntry entry) => "/live/" + entry.Uri;

    [GeneratedRegex(@"max-age=(\d+)")]
    private static partial Regex MaxAge();
}
