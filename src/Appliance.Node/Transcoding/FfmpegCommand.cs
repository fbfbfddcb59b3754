using System.Globalization;
using Appliance.Auth;
using Appliance.Node.Config;

namespace Appliance.Node.Transcoding;

/// <summary>Where a transcoder's rungs go: the node's RTMP listener, by the address it reaches from this host.</summary>
/// <param name="Host">An address ffmpeg connects to ("127.0.0.1", "[::1]", or the listener's own address).</param>
/// <param name="Domain">The rung's domain: the tcUrl's host, so the node files the rung under the source's domain.</param>
internal sealed record RungTarget(string Host, int Port, string Domain, string App);

/// <summary>
/// The ffmpeg command line of one transcoder: the source as FLV on stdin, one video decode, one
/// scaler and encoder per rung, the source's audio copied into every rung (never re-encoded), and
/// each rung published as FLV over RTMP to the node. Every rung keeps the source's timeline
/// (-copyts, timestamps in milliseconds, frames passed through) and its keyframes at the source's
/// keyframe times (-force_key_frames source, no scene cuts, no B-frames), with the source's decode
/// delay (setts), so its segments are cut and numbered like the source's.
/// </summary>
internal static class FfmpegCommand
{
    // Far beyond any source GOP: the encoder's own keyframe interval must never add a keyframe the source lacks.
    private const int EncoderGop = 9999;

    public static List<string> Arguments(IReadOnlyList<PlannedRung> rungs, string encoder, int sourceDecodeDelayMs, RungTarget target, IReadOnlyList<string> tokens)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-loglevel", "warning", "-nostats",
            "-progress", "pipe:1", "-stats_period", "1",
        };
        if (encoder == LadderEncoders.Vaapi)
        {
            args.AddRange(["-vaapi_device", "/dev/dri/renderD128"]);
        }
        // The node sends its headers and a GOP at once: probing needs little to know both tracks.
        args.AddRange(["-analyzeduration", "500000", "-probesize", "1000000", "-f", "flv", "-i", "pipe:0", "-copyts"]);
        args.AddRange(["-filter_complex", FilterGraph(rungs, encoder)]);
        for (var i = 0; i < rungs.Count; i++)
        {
            AddOutput(args, i, rungs[i], encoder, sourceDecodeDelayMs, target, tokens[i]);
        }
        return args;
    }

    /// <summary>One decode split into a scaler per rung: "[0:v]split=2[s0][s1];[s0]scale=-2:480[v0];[s1]scale=-2:360[v1]".</summary>
    public static string FilterGraph(IReadOnlyList<PlannedRung> rungs, string encoder)
    {
        var graph = new System.Text.StringBuilder();
        if (rungs.Count == 1)
        {
            graph.Append("[0:v]");
        }
        else
        {
            graph.Append(CultureInfo.InvariantCulture, $"[0:v]split={rungs.Count}");
            for (var i = 0; i < rungs.Count; i++)
            {
                graph.Append(CultureInfo.InvariantCulture, $"[s{i}]");
            }
            graph.Append(';');
        }
        for (var i = 0; i < rungs.Count; i++)
        {
            if (rungs.Count > 1)
            {
                graph.Append(CultureInfo.InvariantCulture, $"[s{i}]");
            }
            graph.Append(CultureInfo.InvariantCulture, $"scale=-2:{rungs[i].Height}");
            if (rungs[i].Fps is { } fps)
            {
                graph.Append(CultureInfo.InvariantCulture, $",fps={fps}");
            }
            graph.Append(encoder switch
            {
                LadderEncoders.Vaapi => ",format=nv12,hwupload",
                LadderEncoders.Qsv => ",format=nv12",
                _ => "",
            });
            graph.Append(CultureInfo.InvariantCulture, $"[v{i}]");
            if (i < rungs.Count - 1)
            {
                graph.Append(';');
            }
        }
        return graph.ToString();
    }

    private static void AddOutput(List<string> args, int index, PlannedRung rung, string encoder, int decodeDelayMs, RungTarget target, string token)
    {
        var bits = rung.BitsPerSecond.ToString(CultureInfo.InvariantCulture);
        args.AddRange(["-map", $"[v{index}]", "-map", "0:a?", "-c:v", encoder]);
        if (rung.Preset is { } preset)
        {
            args.AddRange(["-preset", preset]);
        }
        if (rung.Profile is { } profile)
        {
            args.AddRange(["-profile:v", profile]);
        }
        args.AddRange([
            "-b:v", bits, "-maxrate", bits, "-bufsize", (rung.BitsPerSecond * 2).ToString(CultureInfo.InvariantCulture),
            "-bf", "0", "-g", EncoderGop.ToString(CultureInfo.InvariantCulture), "-sc_threshold", "0",
            "-force_key_frames", "source", "-fps_mode", "passthrough", "-enc_time_base:v", "1:1000",
        ]);
        if (decodeDelayMs > 0)
        {
            // The source's keyframes are cut at their decode time, which trails their presentation by this much.
            args.AddRange(["-bsf:v", $"setts=dts=PTS-{decodeDelayMs.ToString(CultureInfo.InvariantCulture)}"]);
        }
        args.AddRange(["-c:a", "copy", "-f", "flv", "-flvflags", "no_duration_filesize",
            "-rtmp_tcurl", $"rtmp://{target.Domain}:{target.Port.ToString(CultureInfo.InvariantCulture)}/{target.App}",
            $"rtmp://{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}/{target.App}/{rung.Key.Name}?{InternalPublishTokens.ParameterName}={token}"]);
    }
}
