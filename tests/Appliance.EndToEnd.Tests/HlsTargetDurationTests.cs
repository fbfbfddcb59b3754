using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>Segments stay near the configured target for publishers whose cut points are not on exact seconds.</summary>
public sealed class HlsTargetDurationTests
{
    [Fact]
    public async Task Audio_only_and_29_97_fps_publishers_keep_segments_near_the_2s_target()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"hls\": { \"always\": true }");
        await using var radio = FfmpegPlayback.PublishAudioOnly(daemon.RtmpUrl("live/radio"));
        await using var ntsc = ExternalProcess.Start("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30000/1001",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "30", "-an",
            "-f", "flv", daemon.RtmpUrl("live/ntsc"),
        ]);

        foreach (var name in new[] { "radio", "ntsc" })
        {
            var playlist = await Hls.WaitForPlaylistAsync(daemon, $"/live/{name}.m3u8", p => p.Entries.Count >= 5, TimeSpan.FromSeconds(40), "five segments");
            Assert.All(playlist.Entries, e => Assert.InRange(e.Duration, 1.9, 2.2));
            Assert.InRange(playlist.TargetDuration, 2, 3);
        }
    }
}
