using System.Text.Json;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>ffmpeg as the encoder and ffprobe as an independent player.</summary>
public static class Ffmpeg
{
    /// <summary>An hour, in seconds: where aged test streams start (-output_ts_offset), as production streams are old.</summary>
    public const int AnHourIn = 3600;

    /// <summary>
    /// Publishes a generated H.264 + AAC stream in real time (until killed, or for <paramref name="seconds"/>);
    /// with <paramref name="startSeconds"/>, media timestamps start there (headers stay at 0, as ffmpeg sends them).
    /// <paramref name="format"/> is the container: flv for RTMP, mpegts for SRT.
    /// </summary>
    public static ExternalProcess Publish(string url, double? seconds = null, string size = "640x360", int fps = 25, int gop = 25, int startSeconds = 0, string format = "flv")
    {
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={fps}",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", gop.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:a", "aac", "-b:a", "64k",
        };
        if (seconds is not null)
        {
            args.AddRange(["-t", seconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (startSeconds > 0)
        {
            args.AddRange(["-output_ts_offset", startSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["-f", format, url]);
        return ExternalProcess.Start("ffmpeg", [.. args]);
    }

    /// <summary>
    /// One encode, as <see cref="Publish"/> makes it, published to every URL of <paramref name="urls"/>
    /// (ffmpeg's tee muxer): the same frames at the same times, so the streams differ only in how
    /// the node serves them.
    /// </summary>
    public static ExternalProcess PublishToAll(IReadOnlyList<string> urls, int gop, int startSeconds)
    {
        var offset = startSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ExternalProcess.Start("ffmpeg",
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", gop.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:a", "aac", "-b:a", "64k", "-flags", "+global_header",
            "-output_ts_offset", offset,
            "-f", "tee", string.Join('|', urls.Select(u => $"[f=flv:onfail=ignore]{u}")));
    }

    /// <summary>ffprobe's view of a live URL: its streams and the packets of the first <paramref name="seconds"/>.</summary>
    /// <param name="inputOptions">Options for the input, before its URL (such as -ca_file for https).</param>
    public static async Task<ProbeResult> ProbeAsync(string url, double seconds, TimeSpan timeout, params string[] inputOptions)
    {
        var process = await ExternalProcess.RunAsync(timeout, "ffprobe", [
            "-v", "error", "-rw_timeout", "15000000", .. inputOptions,
            "-read_intervals", $"%+{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "-show_entries", "stream=index,codec_name,codec_type,width,height:packet=stream_index,pts,dts,dts_time,flags",
            "-of", "json", url]);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe {url} exited {process.ExitCode}: {process.Stderr}");
        }
        return ProbeResult.Parse(process.Stdout, process.Stderr);
    }
}

public sealed record ProbeStream(int Index, string CodecType, string CodecName, int Width, int Height);

public sealed record ProbePacket(int StreamIndex, long? Dts, double DtsSeconds, bool Key);

public sealed record ProbeResult(IReadOnlyList<ProbeStream> Streams, IReadOnlyList<ProbePacket> Packets, string Errors)
{
    public ProbeStream Video => Streams.Single(s => s.CodecType == "video");

    public ProbeStream Audio => Streams.Single(s => s.CodecType == "audio");

    public IReadOnlyList<ProbePacket> PacketsOf(ProbeStream stream) => Packets.Where(p => p.StreamIndex == stream.Index).ToList();

    public static ProbeResult Parse(string json, string errors)
    {
        using var doc = JsonDocument.Parse(json);
        var streams = new List<ProbeStream>();
        foreach (var s in doc.RootElement.GetProperty("streams").EnumerateArray())
        {
            streams.Add(new ProbeStream(
                s.GetProperty("index").GetInt32(),
                s.GetProperty("codec_type").GetString()!,
                s.TryGetProperty("codec_name", out var name) ? name.GetString()! : "",
                s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
                s.TryGetProperty("height", out var h) ? h.GetInt32() : 0));
        }
        var packets = new List<ProbePacket>();
        if (doc.RootElement.TryGetProperty("packets", out var list))
        {
            foreach (var p in list.EnumerateArray())
            {
                long? dts = p.TryGetProperty("dts", out var d) ? d.GetInt64() : null;
                var dtsTime = p.TryGetProperty("dts_time", out var t) ? double.Parse(t.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
                var flags = p.TryGetProperty("flags", out var f) ? f.GetString()! : "";
                packets.Add(new ProbePacket(p.GetProperty("stream_index").GetInt32(), dts, dtsTime, flags.Contains('K')));
            }
        }
        return new ProbeResult(streams, packets, errors);
    }
}
