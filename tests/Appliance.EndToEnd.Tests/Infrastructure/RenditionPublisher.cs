using System.Globalization;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One ffmpeg process publishing several renditions of one source, as a customer's encoder does:
/// the same test picture scaled to each size, each encoded at its own bit rate with a keyframe
/// every 2 s at the same frames (a fixed GOP, no scene cuts), AAC audio encoded alike for each,
/// each to its own stream over RTMP; timestamps start an hour in.
/// </summary>
public static class RenditionPublisher
{
    public sealed record Output(string Name, int Width, int Height, int VideoKbps);

    /// <summary>cam (640x360, 1.2 Mbit/s), cam_240p (426x240, 350 kbit/s), cam_144p (256x144, 120 kbit/s).</summary>
    public static IReadOnlyList<Output> Ladder { get; } =
    [
        new("cam", 640, 360, 1200),
        new("cam_240p", 426, 240, 350),
        new("cam_144p", 256, 144, 120),
    ];

    public static ExternalProcess Publish(DaemonProcess daemon, IReadOnlyList<Output> outputs, int startSeconds = Ffmpeg.AnHourIn)
    {
        var top = outputs[0];
        var filter = $"[0:v]split={outputs.Count}" + string.Concat(outputs.Select((_, i) => $"[s{i}]")) + ";" +
            string.Join(";", outputs.Select((o, i) => $"[s{i}]scale={o.Width}:{o.Height}[v{i}]"));
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", $"testsrc2=size={top.Width}x{top.Height}:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-filter_complex", filter,
        };
        for (var i = 0; i < outputs.Count; i++)
        {
            var kbps = outputs[i].VideoKbps.ToString(CultureInfo.InvariantCulture);
            args.AddRange([
                "-map", $"[v{i}]", "-map", "1:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-b:v", $"{kbps}k", "-maxrate", $"{kbps}k", "-bufsize", $"{kbps}k",
                "-c:a", "aac", "-b:a", "64k",
                "-output_ts_offset", startSeconds.ToString(CultureInfo.InvariantCulture),
                "-f", "flv", daemon.RtmpUrl($"live/{outputs[i].Name}"),
            ]);
        }
        return ExternalProcess.Start("ffmpeg", [.. args]);
    }
}
