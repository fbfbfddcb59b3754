using System.Text.Json;
using Appliance.EndToEnd.Tests.Browser;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// An independent parser reads the node's fMP4 HLS: tests/browser/walk-fmp4.mjs walks every init
/// and media segment of 30 s of video and audio with mp4box.js (npm), following the playlists live.
/// The source is an ffmpeg encode at 25 fps with a keyframe every 25 frames and 44.1 kHz AAC,
/// published 12 s before RTMP's 32-bit wrap, so the window crosses it.
/// </summary>
public sealed class Fmp4BoxWalkTests(ITestOutputHelper output)
{
    private const int Fps = 25;
    private const int Gop = 25;
    private const int AacFrame = 1024;

    [Mp4BoxFact]
    public async Task Mp4box_walks_30_s_of_fmp4_hls_across_the_wrap_with_continuous_tfdt_and_the_sources_samples()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = await OffsetPublisher.StartAsync(daemon, "cam", OffsetPublisher.BeforeTheWrapMs, CancellationToken.None);
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, TimeSpan.FromSeconds(30));

        await using var walk = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(150), "node",
            Path.Combine(BrowserPlayer.ScriptDirectory, "walk-fmp4.mjs"), "--url", daemon.HttpUrl("live/cam/cmaf.m3u8"), "--seconds", "30", "--timeout", "120");
        var line = walk.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        output.WriteLine(line);
        Assert.True(line.StartsWith('{'), $"walk-fmp4.mjs exited {walk.ExitCode} without a report: {walk.Stdout}\n{walk.Stderr}");
        using var report = JsonDocument.Parse(line);
        var root = report.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean(), line);
        Assert.Equal(0, walk.ExitCode);

        var video = root.GetProperty("tracks").GetProperty("video");
        var audio = root.GetProperty("tracks").GetProperty("audio");
        Assert.Equal(("avc1", 90_000), (video.GetProperty("codec").GetString(), video.GetProperty("timescale").GetInt32()));
        Assert.Equal(("mp4a", 44_100), (audio.GetProperty("codec").GetString(), audio.GetProperty("timescale").GetInt32()));
        var videoSegments = Segments(video);
        var audioSegments = Segments(audio);
        Assert.True(videoSegments.Sum(s => s.Extinf) >= 30, $"{videoSegments.Sum(s => s.Extinf)} s of video walked");
        // The window crosses the wrap: 2^32 ms is 386,547,056,640 ticks at 90 kHz.
        Assert.True(videoSegments[0].Tfdt < (1L << 32) * 90 && videoSegments[^1].Tfdt > (1L << 32) * 90, $"video from tfdt {videoSegments[0].Tfdt} to {videoSegments[^1].Tfdt}");

        // Video: every frame 40 ms (3600 ticks), 25 frames a second, a sync sample every 25 frames.
        Assert.Equal(["3600"], video.GetProperty("durations").EnumerateObject().Select(p => p.Name));
        foreach (var segment in videoSegments)
        {
            Assert.Equal((int)Math.Round(segment.Extinf * Fps), segment.Samples);
            Assert.Equal(segment.Samples / Gop, segment.SyncSamples);
            Assert.Equal(segment.Samples * 3600L, segment.Duration);
        }
        // Audio: RTMP stamps whole milliseconds, so AAC frames last 1014 to 1059 ticks rather than
        // 1024, but they add up: the frames' 1024 samples each and the ticks differ by at most the
        // two ends' rounding (1 ms and a tick each), per segment and over the window.
        foreach (var segment in audioSegments)
        {
            Assert.True(Math.Abs(segment.Samples * AacFrame - segment.Duration) <= 91, $"{segment.Uri}: {segment.Samples} AAC frames in {segment.Duration} ticks");
        }
        Assert.True(Math.Abs(audioSegments.Sum(s => s.Samples) * AacFrame - audioSegments.Sum(s => s.Duration)) <= 91, "the window's AAC frames and ticks differ");
        // Segment N of both tracks starts together: audio at its first frame at or after the video's cut.
        foreach (var a in audioSegments)
        {
            var v = videoSegments.Single(s => s.Number == a.Number);
            var offsetMs = a.Tfdt / 44.1 - v.Tfdt / 90.0;
            Assert.True(offsetMs is >= -1 and < 24, $"{a.Uri} starts {offsetMs:F1} ms after {v.Uri}");
        }
    }

    private sealed record WalkedSegment(string Uri, long Number, double Extinf, long Tfdt, int Samples, int SyncSamples, long Duration);

    private static List<WalkedSegment> Segments(JsonElement track) =>
        track.GetProperty("segments").EnumerateArray().Select(s => new WalkedSegment(
            s.GetProperty("uri").GetString()!, s.GetProperty("number").GetInt64(), s.GetProperty("extinf").GetDouble(), s.GetProperty("tfdt").GetInt64(),
            s.GetProperty("samples").GetInt32(), s.GetProperty("syncSamples").GetInt32(), s.GetProperty("duration").GetInt64())).ToList();
}

/// <summary>Runs where Node.js and tests/browser's mp4box module are installed (`make test-deps`); skipped, saying what is missing, elsewhere.</summary>
public sealed class Mp4BoxFactAttribute : FactAttribute
{
    public Mp4BoxFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "node")));
        if (!onPath)
        {
            Skip = "the mp4box walk needs Node.js on PATH: `sudo apt-get install nodejs npm` (or `make test-deps` as root)";
        }
        else if (!Directory.Exists(Path.Combine(BrowserPlayer.ScriptDirectory, "node_modules", "mp4box")))
        {
            Skip = "the mp4box walk needs the npm modules in tests/browser (no mp4box): `npm ci --prefix tests/browser` (or `make test-deps`)";
        }
    }
}
