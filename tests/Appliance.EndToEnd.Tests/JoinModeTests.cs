using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// ffprobe joins a stream five hours in (extended RTMP timestamps), 25 fps with a keyframe every
/// 2 s, in each join mode over RTMP, HTTP-FLV and HTTP-TS, and reads it without an error line,
/// keyframe first, with timestamps increasing on every track.
/// </summary>
public sealed class JoinModeTests(JoinModesFixture live) : IClassFixture<JoinModesFixture>
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(40);

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var mode in JoinModesFixture.Modes)
        {
            foreach (var protocol in new[] { "rtmp", "http-flv", "http-ts" })
            {
                cases.Add(mode, protocol);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Ffprobe_reads_a_stream_joined_in_each_mode_without_an_error_and_with_increasing_timestamps(string mode, string protocol)
    {
        var url = protocol switch
        {
            "rtmp" => live.Daemon.RtmpUrl($"{mode}/cam"),
            "http-flv" => live.Daemon.HttpUrl($"{mode}/cam.flv"),
            _ => live.Daemon.HttpUrl($"{mode}/cam.ts"),
        };

        var probe = await Ffmpeg.ProbeAsync(url, seconds: 4, ProbeTimeout);

        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal("aac", probe.Audio.CodecName);
        var video = probe.PacketsOf(probe.Video);
        Assert.True(video[0].Key, "the first video packet is not a keyframe");
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 3);
        Assert.True(video[0].DtsSeconds >= JoinModesFixture.FiveHoursIn - 1, $"first video dts {video[0].DtsSeconds:F3}s");
        // The join burst: in "live" the cached frames (at least 40) come re-stamped a few ms apart;
        // the other modes send every frame 40 ms after the one before.
        var squeezed = Enumerable.Range(1, video.Count - 1).Count(i => video[i].DtsSeconds - video[i - 1].DtsSeconds < 0.02);
        if (mode == "live")
        {
            Assert.True(squeezed >= 39, $"only {squeezed} video packets less than 20 ms apart");
        }
        else
        {
            Assert.Equal(0, squeezed);
        }
    }
}
