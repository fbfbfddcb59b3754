using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// GStreamer (Debian 12's 1.22) plays the node's fMP4 HLS and LL-HLS of a stream an hour in with
/// playbin3, whose hlsdemux2 maps fMP4 decode times to the playlist: 10 s of video and audio into
/// clock-synchronised sinks, every video frame 40 ms after the one before (checksumsink prints each
/// buffer from its streaming thread; fakesink's -v notifications can skip or repeat one), no error
/// or warning.
/// </summary>
/// <remarks>
/// What GStreamer 1.22 cannot play, for reasons of its own: playbin (playbin2) picks the legacy
/// hlsdemux, which starts the segment at 0 while qtdemux stamps buffers from the fMP4 tfdt (an hour
/// in here), so synchronised sinks wait an hour; and both of its DASH demuxers start a live
/// SegmentTimeline at the wrong $Number$: their seek adds the first listed segment's start to the
/// time since availabilityStartTime (gstmpdclient.c, stream_seek: repeat_index = ((ts - start) +
/// segments[0].start) / duration), so with a window that does not begin at media time 0, as no
/// long-running live stream's does, they ask for segment numbers twice as far as the live edge and
/// get 404. dash.js and ffmpeg play the same MPD (BrowserCmafTests, CmafTests).
/// </remarks>
public sealed partial class GStreamerTests(AgedPublisherFixture live, ITestOutputHelper output) : IClassFixture<AgedPublisherFixture>
{
    private const int Seconds = 10;
    private const int Fps = 25;

    [GStreamerTheory]
    [InlineData("live/cam/cmaf.m3u8")]
    [InlineData("live/cam/llhls.m3u8")]
    public async Task Playbin3_plays_10_s_of_fmp4_hls_in_real_time_with_every_frame_and_no_error(string path)
    {
        await using var gst = ExternalProcess.Start("gst-launch-1.0", "-v", "playbin3", $"uri={live.Daemon.HttpUrl(path)}",
            "video-sink=\"checksumsink sync=true\"", "audio-sink=\"fakesink name=a silent=false sync=true\"");

        // Synchronised sinks take buffers as the pipeline clock reaches them: 10 s of frames take 10 s.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? firstFrame = null;
        await Conditions.UntilAsync(() =>
        {
            var frames = Frames(gst.Stdout).Count;
            firstFrame ??= frames > 0 ? clock.Elapsed : null;
            Assert.False(gst.HasExited, $"gst-launch-1.0 exited {(gst.HasExited ? gst.ExitCode : 0)}:\n{Tail(gst)}");
            return Task.FromResult(frames >= Seconds * Fps);
        }, TimeSpan.FromSeconds(90), $"{Seconds * Fps} video buffers at the video sink");
        var played = clock.Elapsed - firstFrame!.Value;
        var stdout = gst.Stdout;
        var video = Frames(stdout);
        var audio = AudioBuffers().Matches(stdout).Count;
        output.WriteLine($"{path}: {video.Count} video and about {audio} audio buffers in {played.TotalSeconds:F1} s, video pts {video[0]} to {video[^1]}");

        var problems = (stdout + gst.Stderr).Split('\n').Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("WARNING", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(played > TimeSpan.FromSeconds(Seconds - 2), $"{video.Count} frames in {played.TotalSeconds:F1} s: not played in real time");
        // 43 AAC frames a second; counted from notifications, which may skip some.
        Assert.True(audio >= (Seconds - 2) * 43, $"only {audio} audio buffers");
        // An hour in, as published; every frame 40 ms after the one before.
        Assert.InRange(video[0], TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        for (var i = 1; i < video.Count; i++)
        {
            Assert.True(video[i] - video[i - 1] == TimeSpan.FromMilliseconds(40), $"video pts {video[i - 1]} then {video[i]}");
        }
    }

    /// <summary>The presentation times of the video buffers checksumsink took, in order ("1:05:54.000000000 {sha1}" a line).</summary>
    private static List<TimeSpan> Frames(string stdout) =>
        [.. FrameLine().Matches(stdout).Select(m => TimeSpan.FromHours(int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture))
            + TimeSpan.FromMinutes(int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture))
            + TimeSpan.FromSeconds(int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture))
            + TimeSpan.FromTicks(long.Parse(m.Groups["ns"].Value, CultureInfo.InvariantCulture) / 100))];

    private static string Tail(ExternalProcess gst) => string.Join('\n', (gst.Stdout + gst.Stderr).Split('\n').TakeLast(30));

    [GeneratedRegex(@"^(?<h>\d+):(?<m>\d\d):(?<s>\d\d)\.(?<ns>\d{9}) [0-9a-f]{40}\r?$", RegexOptions.Multiline)]
    private static partial Regex FrameLine();

    // fakesink -v: "/GstPlayBin3:.../GstFakeSink:a: last-message = chain   ******* (a:sink) (4096 bytes, dts: none, pts: ..."
    [GeneratedRegex(@"GstFakeSink:a: last-message = chain ")]
    private static partial Regex AudioBuffers();
}

/// <summary>Runs where GStreamer's gst-launch-1.0 and its hlsdemux2 are installed (`make test-deps` as root); skipped, saying what is missing, elsewhere.</summary>
public sealed class GStreamerTheoryAttribute : TheoryAttribute
{
    private static readonly Lazy<string?> Missing = new(Probe);

    public GStreamerTheoryAttribute()
    {
        Skip = Missing.Value;
    }

    private static string? Probe()
    {
        const string Install = "`sudo apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav` (or `make test-deps` as root)";
        try
        {
            foreach (var element in new[] { "hlsdemux2", "qtdemux", "avdec_h264", "avdec_aac", "checksumsink" })
            {
                var inspect = ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), "gst-inspect-1.0", element).GetAwaiter().GetResult();
                if (inspect.ExitCode != 0)
                {
                    return $"GStreamer has no {element} (hlsdemux2 needs gst-plugins-good 1.22+): {Install}";
                }
            }
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"the GStreamer tests need gst-inspect-1.0 and gst-launch-1.0: {Install}";
        }
    }
}
