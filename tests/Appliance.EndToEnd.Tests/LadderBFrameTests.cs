using System.Globalization;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A source with B-frames (as OBS and most encoders send) decodes its keyframes a little before it
/// shows them, and segments are cut at decode time; the rung (no B-frames of its own) is given
/// the same decode delay, so it is still cut into the source's segments.
/// </summary>
public sealed class LadderBFrameTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rung_of_a_source_with_b_frames_has_the_sources_segments()
    {
        const string ladder = """
            "ladder": { "rungs": [ { "label": "180p", "height": 180, "videoBitrate": "200k", "preset": "ultrafast" } ] }
            """;
        await using var daemon = await DaemonProcess.StartAsync(appJson: ladder);
        await using var publisher = ExternalProcess.Start("ffmpeg",
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "64k", "-output_ts_offset", Ffmpeg.AnHourIn.ToString(CultureInfo.InvariantCulture),
            "-f", "flv", daemon.RtmpUrl("live/bcam"));
        await StreamApi.WaitForFramesAsync(daemon, "bcam", minFrames: 60, TimeSpan.FromSeconds(30));
        var source = await Ffmpeg.ProbeAsync(daemon.HttpUrl("live/bcam.flv"), seconds: 1, TimeSpan.FromSeconds(30));
        Assert.Contains(source.PacketsOf(source.Video), p => p.Key);

        var playlists = new Dictionary<string, HlsPlaylist>();
        var common = new List<long>();
        await Conditions.UntilAsync(async () =>
        {
            foreach (var name in new[] { "bcam", "bcam_180p" })
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(25));
                var response = await Hls.GetAsync(daemon, $"/live/{name}.m3u8", cts.Token);
                if (response.Status != 200)
                {
                    return false;
                }
                playlists[name] = HlsPlaylist.Parse(response.Text);
            }
            common = [.. playlists["bcam"].Entries.Select(e => e.Sequence).Intersect(playlists["bcam_180p"].Entries.Select(e => e.Sequence))];
            return common.Count >= 3;
        }, TimeSpan.FromSeconds(45), "three segments both playlists list");

        foreach (var sequence in common)
        {
            Assert.Equal(playlists["bcam"].Entries.Single(e => e.Sequence == sequence).Duration, playlists["bcam_180p"].Entries.Single(e => e.Sequence == sequence).Duration);
        }
        var starts = new List<(double Dts, long? Pts)>();
        foreach (var name in new[] { "bcam", "bcam_180p" })
        {
            var segment = await Ffmpeg.ProbeAsync(daemon.HttpUrl($"live/{name}/{common[0]}.ts"), seconds: 1, TimeSpan.FromSeconds(30));
            var first = segment.PacketsOf(segment.Video)[0];
            Assert.True(first.Key, $"segment {common[0]} of {name} does not start with a keyframe");
            starts.Add((first.DtsSeconds, first.Dts));
        }
        output.WriteLine($"segment {common[0]} starts (decode time) at {starts[0].Dts:F3} s in the source and {starts[1].Dts:F3} s in the rung");
        Assert.Equal(starts[0].Dts, starts[1].Dts, 3);
        Assert.True(daemon.HasLog(l => l.Contains("transcode default/live/bcam: ffmpeg pid", StringComparison.Ordinal)));
    }
}
