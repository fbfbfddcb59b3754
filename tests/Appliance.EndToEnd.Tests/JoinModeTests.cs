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

        AssertReadable(probe);
        var video = probe.PacketsOf(probe.Video);
        Assert.True(video[0].DtsSeconds >= JoinModesFixture.FiveHoursIn - 1, $"first video dts {video[0].DtsSeconds:F3}s");
        // The join burst: in "live" the cached frames (at least 40) come re-stamped a few ms apart;
        // the other modes send every frame 40 ms after the one before.
        if (mode == "live")
        {
            Assert.True(Squeezed(probe) >= 39, $"only {Squeezed(probe)} video packets less than 20 ms apart");
        }
        else
        {
            Assert.Equal(0, Squeezed(probe));
        }
    }

    [Theory]
    [InlineData("rtmp")]
    [InlineData("http-flv")]
    public async Task Another_nodes_pull_naming_nodes_in_appliance_via_gets_the_frames_at_their_own_times(string protocol)
    {
        var url = protocol == "rtmp"
            ? live.Daemon.RtmpUrl("live/cam?appliance_via=edge-1")
            : live.Daemon.HttpUrl("live/cam.flv?appliance_via=edge-1");

        var probe = await Ffmpeg.ProbeAsync(url, seconds: 4, ProbeTimeout);

        AssertReadable(probe);
        Assert.Equal(0, Squeezed(probe));
    }

    [Fact]
    public async Task The_first_viewer_of_a_pull_joins_at_the_edges_live_edge()
    {
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(live.Daemon)], more: "\"joinMode\": \"live\""),
            rootJson: Infrastructure.Tiers.Node("edge-1"));

        var probe = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.flv"), seconds: 4, ProbeTimeout);

        AssertReadable(probe);
        // The parent sent its GOP cache as it is, faster than real time; the edge waited for the
        // live edge before it re-stamped the lot for its first viewer.
        Assert.True(Squeezed(probe) >= 39, $"only {Squeezed(probe)} video packets less than 20 ms apart");
    }

    private static void AssertReadable(ProbeResult probe)
    {
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.True(probe.PacketsOf(probe.Video)[0].Key, "the first video packet is not a keyframe");
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 3);
    }

    /// <summary>Video packets less than 20 ms after the one before: at 25 fps, only a join burst has those.</summary>
    private static int Squeezed(ProbeResult probe)
    {
        var video = probe.PacketsOf(probe.Video);
        return Enumerable.Range(1, video.Count - 1).Count(i => video[i].DtsSeconds - video[i - 1].DtsSeconds < 0.02);
    }
}
