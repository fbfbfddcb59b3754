using System.Globalization;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>ffmpeg publishing one-track streams, ffmpeg as a player, and what a viewer expects of ffprobe's packets.</summary>
public static class FfmpegPlayback
{
    /// <summary>Publishes AAC only (a sine), in real time.</summary>
    public static ExternalProcess PublishAudioOnly(string url, double? seconds = null) =>
        ExternalProcess.Start("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:a", "aac", "-b:a", "64k",
            .. Duration(seconds),
            "-f", "flv", url,
        ]);

    /// <summary>Publishes H.264 only (640x360, 25 fps, a keyframe every second), in real time.</summary>
    public static ExternalProcess PublishVideoOnly(string url, double? seconds = null) =>
        ExternalProcess.Start("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "25",
            "-an",
            .. Duration(seconds),
            "-f", "flv", url,
        ]);

    /// <summary>`ffmpeg -v error -i URL -t seconds -c copy -f null -` started: a player that reads and discards (sending <paramref name="userAgent"/> if given).</summary>
    public static ExternalProcess StartCopy(string url, double seconds, string? userAgent = null) =>
        ExternalProcess.Start("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-rw_timeout", "15000000",
            .. userAgent is null ? Array.Empty<string>() : ["-user_agent", userAgent],
            "-i", url, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c", "copy", "-f", "null", "-",
        ]);

    /// <summary>Runs <see cref="StartCopy"/> to its end; the process, for its exit code and error lines.</summary>
    public static async Task<ExternalProcess> CopyAsync(string url, double seconds, TimeSpan timeout)
    {
        var process = StartCopy(url, seconds);
        if (!await process.WaitForExitAsync(timeout))
        {
            var stderr = process.Stderr;
            await process.DisposeAsync();
            throw new TimeoutException($"ffmpeg reading {url} for {seconds}s did not finish within {timeout.TotalSeconds:F0}s\n{stderr}");
        }
        // Let the redirected output drain (WaitForExit without a timeout waits for it).
        await process.WaitForExitAsync(TimeSpan.FromSeconds(5));
        return process;
    }

    /// <summary>
    /// What a viewer needs of ffprobe's packets: at least <paramref name="minSeconds"/> per stream,
    /// DTS strictly increasing per stream, and no step over one second.
    /// </summary>
    public static void AssertContinuous(ProbeResult probe, double minSeconds)
    {
        foreach (var stream in probe.Streams)
        {
            AssertSteps(stream, probe.PacketsOf(stream).Where(p => p.Dts is not null).ToList(), minSeconds);
        }
    }

    /// <summary>
    /// <see cref="AssertContinuous"/> for ffprobe reading a live MPD, whose DASH demuxer reads some
    /// segments twice: when a manifest refresh lists a segment the last one did not, it takes the
    /// segment's index in the new timeline for its number, finds that "older than the window" and
    /// starts again at the window's first segment (libavformat's dashdec, refresh_manifest and
    /// get_current_fragment; seen here in its verbose log as "old fragment: cur[3]"). What it reads
    /// a second time must repeat, exactly, times it has already given; the times it gives for the first
    /// time must be continuous as <see cref="AssertContinuous"/> wants. So a segment served with
    /// another segment's times, a gap, or a step back to a time never read still fails.
    /// </summary>
    public static void AssertContinuousAcrossDashRereads(ProbeResult probe, double minSeconds)
    {
        foreach (var stream in probe.Streams)
        {
            var firstReads = new List<ProbePacket>();
            var given = new HashSet<long>();
            foreach (var packet in probe.PacketsOf(stream).Where(p => p.Dts is not null))
            {
                var dts = packet.Dts!.Value;
                if (firstReads.Count > 0 && dts <= firstReads[^1].Dts)
                {
                    Assert.True(given.Contains(dts), $"{stream.CodecType} dts went back from {firstReads[^1].Dts} to {dts}, a time not read before");
                    continue;
                }
                given.Add(dts);
                firstReads.Add(packet);
            }
            AssertSteps(stream, firstReads, minSeconds);
        }
    }

    private static void AssertSteps(ProbeStream stream, List<ProbePacket> packets, double minSeconds)
    {
        Assert.True(packets.Count > 0, $"no packets of {stream.CodecType}");
        var span = packets[^1].DtsSeconds - packets[0].DtsSeconds;
        Assert.True(span >= minSeconds, $"{stream.CodecType} spans {span:F2}s over {packets.Count} packets");
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.True(packets[i].Dts > packets[i - 1].Dts, $"{stream.CodecType} dts not increasing at packet {i}: {packets[i - 1].Dts} -> {packets[i].Dts}");
            var step = packets[i].DtsSeconds - packets[i - 1].DtsSeconds;
            Assert.True(step <= 1.0, $"{stream.CodecType} dts jumps {step:F3}s at packet {i} ({packets[i - 1].DtsSeconds:F3} -> {packets[i].DtsSeconds:F3})");
        }
    }

    /// <summary>The error lines ffmpeg or ffprobe printed (at -v error, anything on stderr is one).</summary>
    public static string[] ErrorLines(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// <paramref name="errors"/> without the muxer's complaint about timestamps that do not increase,
    /// which ffmpeg prints (at error level) for each packet of a segment its DASH demuxer reads a second
    /// time (see <see cref="AssertContinuousAcrossDashRereads"/>, which checks those are exact re-reads).
    /// </summary>
    public static string[] BesideDashRereads(string[] errors) =>
        [.. errors.Where(l => !l.Contains("non monotonically increasing dts to muxer", StringComparison.Ordinal))];

    private static string[] Duration(double? seconds) =>
        seconds is null ? [] : ["-t", seconds.Value.ToString(CultureInfo.InvariantCulture)];
}
