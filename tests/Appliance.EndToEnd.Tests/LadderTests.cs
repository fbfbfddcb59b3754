using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// The transcoding ladder with Debian's ffmpeg: a viewer of a rung starts the transcoder and plays,
/// the rungs are cut into the source's segments, nothing is upscaled, a killed ffmpeg is replaced
/// under a rung's viewer, the cap refuses with a log line, and the node's status shows it all.
/// </summary>
public sealed class LadderTests(LadderFixture live, ITestOutputHelper output) : IClassFixture<LadderFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(40);

    private DaemonProcess Daemon => live.Daemon;

    private Task EnsureRungsAsync() => live.EnsureRungsAsync();

    /// <summary>The source's transcoder as /api/status shows it, or null.</summary>
    private async Task<JsonElement?> TranscoderAsync(string source = "default/live/cam")
    {
        using var status = JsonDocument.Parse(await Http.GetStringAsync(Daemon.AdminUrl("api/status")));
        foreach (var transcoder in status.RootElement.GetProperty("transcode").GetProperty("transcoders").EnumerateArray())
        {
            if (transcoder.GetProperty("source").GetString() == source)
            {
                return transcoder.Clone();
            }
        }
        return null;
    }

    [Fact]
    public async Task A_viewer_of_a_rung_waits_for_it_then_plays_480p_and_the_other_rung_is_360p()
    {
        await EnsureRungsAsync();
        var waited = live.FirstRungWait!.Value;
        output.WriteLine($"the first viewer of a rung of all (whichever test asked first) had its playlist after {waited.TotalSeconds:F1} s");

        var rung480 = await Ffmpeg.ProbeAsync(Daemon.HttpUrl("live/cam_480p.m3u8"), seconds: 4, ProbeTimeout);
        var rung360 = await Ffmpeg.ProbeAsync(Daemon.HttpUrl("live/cam_360p.flv"), seconds: 2, ProbeTimeout);
        var source = await Ffmpeg.ProbeAsync(Daemon.HttpUrl("live/cam.flv"), seconds: 1, ProbeTimeout);

        Assert.True(waited < TimeSpan.FromSeconds(30), $"the first playlist took {waited.TotalSeconds:F1} s");
        Assert.Equal((854, 480), (rung480.Video.Width, rung480.Video.Height));
        Assert.Equal((640, 360), (rung360.Video.Width, rung360.Video.Height));
        Assert.Equal((1280, 720), (source.Video.Width, source.Video.Height));
        Assert.Equal(("h264", "aac"), (rung480.Video.CodecName, rung480.Audio.CodecName));
        Assert.Equal("aac", rung360.Audio.CodecName);
        // The rung keeps the aged source's timeline (an hour in), as the source's own viewers see it.
        Assert.InRange(rung360.PacketsOf(rung360.Video)[0].DtsSeconds, Ffmpeg.AnHourIn, Ffmpeg.AnHourIn + 600);
    }

    [Fact]
    public async Task The_rungs_segments_have_the_sources_numbers_durations_and_media()
    {
        await EnsureRungsAsync();
        string[] streams = ["cam", "cam_480p", "cam_360p"];
        var playlists = new Dictionary<string, HlsPlaylist>();
        var common = new List<long>();
        await Conditions.UntilAsync(async () =>
        {
            foreach (var name in streams)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var response = await Hls.GetAsync(Daemon, $"/live/{name}.m3u8", cts.Token);
                if (response.Status != 200)
                {
                    return false;
                }
                playlists[name] = HlsPlaylist.Parse(response.Text);
            }
            common = [.. streams.Select(n => playlists[n].Entries.Select(e => e.Sequence)).Aggregate((a, b) => a.Intersect(b))];
            return common.Count >= 3;
        }, TimeSpan.FromSeconds(40), "three segments every playlist lists");

        foreach (var sequence in common)
        {
            var durations = streams.Select(n => playlists[n].Entries.Single(e => e.Sequence == sequence).Duration).ToList();
            Assert.True(durations.Distinct().Count() == 1, $"segment {sequence}: EXTINF {string.Join(" / ", durations)} for {string.Join(" / ", streams)}");
        }
        // Numbered by media time (2 s buckets), an hour in: every node and every rung numbers alike.
        Assert.InRange(common[0], Ffmpeg.AnHourIn / 2, Ffmpeg.AnHourIn / 2 + 300);
        var first = common[0];
        var starts = new List<double>();
        foreach (var name in streams)
        {
            var probe = await Ffmpeg.ProbeAsync(Daemon.HttpUrl($"live/{name}/{first}.ts"), seconds: 1, ProbeTimeout);
            var video = probe.PacketsOf(probe.Video);
            Assert.True(video[0].Key, $"segment {first} of {name} does not start with a keyframe");
            starts.Add(video[0].DtsSeconds);
        }
        output.WriteLine($"segment {first} starts at {string.Join(" / ", starts.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} s in {string.Join(" / ", streams)}");
        Assert.True(starts.Distinct().Count() == 1, $"segment {first} starts at {string.Join(" / ", starts)}");
    }

    [Fact]
    public async Task A_360p_source_gets_no_upscaled_rung_and_its_rung_urls_answer_404()
    {
        await using var small = Ffmpeg.Publish(Daemon.RtmpUrl("live/small"), size: "640x360", gop: 50, startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(Daemon, "small", minFrames: 30, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        var hls = await Hls.GetAsync(Daemon, "/live/small_480p.m3u8", cts.Token);
        var decided = clock.Elapsed;
        var flv = await Hls.GetAsync(Daemon, "/live/small_360p.flv", cts.Token);

        Assert.Equal(404, hls.Status);
        Assert.Equal(404, flv.Status);
        Assert.Equal("stream not found\n", hls.Text);
        Assert.True(decided < TimeSpan.FromSeconds(5), $"the refusal took {decided.TotalSeconds:F1} s");
        Assert.True(Daemon.HasLog(l => l.Contains("transcode default/live/small: no rung 480p for", StringComparison.Ordinal) &&
            l.Contains("the source is 360 pixels high and a ladder does not upscale", StringComparison.Ordinal)), string.Join('\n', Daemon.Lines.TakeLast(30)));
        Assert.Null(await TranscoderAsync("default/live/small"));
    }

    [Fact]
    public async Task A_killed_ffmpeg_is_started_again_and_a_viewer_of_a_rung_keeps_its_connection()
    {
        await EnsureRungsAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(55));
        await using var viewer = await HttpFlvViewer.OpenAsync(Daemon.HttpPort, "/live/cam_480p.flv", cts.Token);
        var before = await TranscoderAsync() ?? throw new InvalidOperationException("no transcoder");
        var pid = before.GetProperty("pid").GetInt32();
        var restarts = before.GetProperty("restarts").GetInt32();
        var tags = new List<(long AtMs, MediaMessage Tag)>();
        var clock = Stopwatch.StartNew();
        while (!(await viewer.ReadAsync(cts.Token) is { IsKeyFrame: true } key && key.IsVideo && !key.IsSequenceHeader))
        {
        }

        using (var kill = Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cts.Token);
        }
        var killedAtMs = clock.ElapsedMilliseconds;
        // Read on until the new ffmpeg's video has run for 4 s of media.
        long? resumedAt = null;
        while (await viewer.ReadAsync(cts.Token) is { } tag)
        {
            if (!tag.IsVideo || tag.IsSequenceHeader)
            {
                continue;
            }
            tags.Add((clock.ElapsedMilliseconds, tag));
            if (clock.ElapsedMilliseconds > killedAtMs + 1000 && tags.Count > 1 && tags[^1].AtMs - tags[^2].AtMs < 500)
            {
                resumedAt ??= tag.Timestamp;
            }
            if (resumedAt is { } start && tag.Timestamp > start + 4000)
            {
                break;
            }
        }

        var after = await TranscoderAsync() ?? throw new InvalidOperationException("no transcoder after the kill");
        Assert.NotEqual(pid, after.GetProperty("pid").GetInt32());
        Assert.True(after.GetProperty("restarts").GetInt32() > restarts);
        Assert.False(ChildProcesses.IsRunning(pid));
        Assert.True(Daemon.HasLog(l => l.Contains($"ffmpeg pid {pid} failed (killed by signal 9); restart", StringComparison.Ordinal)), string.Join('\n', Daemon.Lines.TakeLast(30)));
        var gaps = tags.Zip(tags.Skip(1), (a, b) => (Wall: b.AtMs - a.AtMs, Media: (long)b.Tag.Timestamp - a.Tag.Timestamp, Key: b.Tag.IsKeyFrame)).ToList();
        var longest = gaps.MaxBy(g => g.Wall);
        output.WriteLine($"the rung's viewer waited {longest.Wall} ms for video across the restart (media step {longest.Media} ms)");
        Assert.True(longest.Wall < 10_000, $"the viewer waited {longest.Wall} ms");
        Assert.All(gaps, g => Assert.True(g.Media > 0, "the rung's video timestamps went back"));
        Assert.True(longest.Key, "video did not resume at a keyframe");
    }

    [Fact]
    public async Task Past_the_cap_a_second_source_is_refused_with_a_log_line_and_still_plays()
    {
        await EnsureRungsAsync();
        await using var second = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam2"), size: "854x480", gop: 50);
        await StreamApi.WaitForFramesAsync(Daemon, "cam2", minFrames: 30, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var refused = await Hls.GetAsync(Daemon, "/live/cam2_360p.m3u8", cts.Token);
        var plays = await Ffmpeg.ProbeAsync(Daemon.HttpUrl("live/cam2.flv"), seconds: 1, ProbeTimeout);

        Assert.Equal(404, refused.Status);
        Assert.True(Daemon.HasLog(l => l.Contains("transcode default/live/cam2: refused for 127.0.0.1:", StringComparison.Ordinal) &&
            l.Contains("1 transcoders run and transcode.maxConcurrent is 1; the source plays on without its rungs", StringComparison.Ordinal)), string.Join('\n', Daemon.Lines.TakeLast(30)));
        Assert.Equal(480, plays.Video.Height);
        Assert.Null(await TranscoderAsync("default/live/cam2"));
        var metrics = await Http.GetStringAsync(Daemon.AdminUrl("metrics"));
        Assert.Matches(@"(?m)^appliance_transcode_refused_total [1-9]", metrics);
    }

    [Fact]
    public async Task Streams_status_and_metrics_show_the_transcoder_and_each_rungs_measured_rate()
    {
        await EnsureRungsAsync();
        JsonElement source = default;
        await Conditions.UntilAsync(async () =>
        {
            var streams = await Appliancectl.JsonAsync(Daemon, "streams");
            source = streams.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "default/live/cam");
            return source.TryGetProperty("transcoder", out var t) && t.GetProperty("rungs").EnumerateArray().All(r => r.GetProperty("measuredBitsPerSecond").GetInt64() > 0);
        }, TimeSpan.FromSeconds(20), "both rungs to have a measured rate");
        var transcoder = source.GetProperty("transcoder");
        var table = await Appliancectl.RunAsync(Daemon, "streams");
        var status = await Appliancectl.RunAsync(Daemon, "status");
        var metrics = await Http.GetStringAsync(Daemon.AdminUrl("metrics"));

        var pid = transcoder.GetProperty("pid").GetInt32();
        Assert.Equal("running", transcoder.GetProperty("state").GetString());
        Assert.True(ChildProcesses.IsRunning(pid));
        Assert.Equal(["480p", "360p"], transcoder.GetProperty("rungs").EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.Contains(ChildProcesses.Of(Daemon.Pid), c => c.Pid == pid && c.Name == "ffmpeg");
        Assert.Matches(@"(?m)^default/live/cam_480p\s+transcoder 127\.0\.0\.1:\d+\s+transcoder\s", table.Stdout);
        Assert.Matches($@"(?m)^default/live/cam\s+running\s+{pid}\s", table.Stdout);
        Assert.Matches(@"(?m)^transcoders\s+1 of at most 1, \d+ refused", status.Stdout);
        Assert.Matches(@"(?m)^appliance_transcoders 1$", metrics);
        Assert.Matches(@"(?m)^appliance_rung_bits_per_second\{stream=""default/live/cam_480p"",source=""default/live/cam"",rung=""480p""\} [1-9]\d+", metrics);
        Assert.Matches(@"(?m)^appliance_transcoder_cpu_seconds_total\{stream=""default/live/cam""\} \d", metrics);
        Assert.Matches(@"(?m)^appliance_transcoder_speed\{stream=""default/live/cam""\} \d", metrics);
    }
}
