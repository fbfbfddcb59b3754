namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>What ffprobe must see of the test publisher's stream played back from a node.</summary>
internal static class ProbedPlayback
{
    /// <summary>
    /// Probes <paramref name="url"/> for 4 s: H.264 at 640x360 and AAC, at least 3 s of video at
    /// 25 fps, and video timestamps that only increase.
    /// </summary>
    public static async Task AssertH264AndAacAsync(string url)
    {
        var probe = await Ffmpeg.ProbeAsync(url, seconds: 4, TimeSpan.FromSeconds(40));
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        var video = probe.PacketsOf(probe.Video);
        Assert.True(video.Count >= 3 * 25, $"{url}: only {video.Count} video packets");
        for (var i = 1; i < video.Count; i++)
        {
            Assert.True(video[i].Dts > video[i - 1].Dts, $"{url}: video dts not increasing at packet {i}");
        }
    }
}
