using Appliance.Node.Hosting;

namespace Appliance.Node.Metrics;

/// <summary>
/// The ladders' transcoders on /metrics: how many run, refusals at the cap, and per source stream
/// its ffmpeg's fps, speed, restarts and CPU, and each rung's measured bit rate. Transcoders are at
/// most transcode.maxConcurrent, so their labels are bounded without the streams' "_other".
/// </summary>
internal static class TranscoderMetrics
{
    public static void Write(PrometheusWriter metrics, NodeStatus status)
    {
        var transcoders = status.Transcoders;
        metrics.Single("appliance_transcoders", "gauge", "Transcoders of ladders running (starting, running or restarting).", transcoders.Count);
        metrics.Single("appliance_transcoders_max", "gauge", "The most transcoders that may run at once (transcode.maxConcurrent).", status.TranscodeMaxConcurrent);
        metrics.Single("appliance_transcode_refused_total", "counter", "Transcoders refused because transcode.maxConcurrent ran; their sources played on without rungs.", status.TranscodeRefused);
        metrics.Family("appliance_transcoder_fps", "gauge", "Frames per second the source's ffmpeg encodes (its first rung).");
        foreach (var transcoder in transcoders)
        {
            metrics.Sample("appliance_transcoder_fps", transcoder.Fps, ("stream", transcoder.Source.ToString()));
        }
        metrics.Family("appliance_transcoder_speed", "gauge", "Media seconds the source's ffmpeg encodes per second; below 1 it falls behind.");
        foreach (var transcoder in transcoders)
        {
            metrics.Sample("appliance_transcoder_speed", transcoder.Speed, ("stream", transcoder.Source.ToString()));
        }
        metrics.Family("appliance_transcoder_restarts_total", "counter", "Times the source's ffmpeg was started again after it died or stalled.");
        foreach (var transcoder in transcoders)
        {
            metrics.Sample("appliance_transcoder_restarts_total", transcoder.Restarts, ("stream", transcoder.Source.ToString()));
        }
        metrics.Family("appliance_transcoder_cpu_seconds_total", "counter", "CPU seconds (user + system, from /proc/PID/stat) of the source's ffmpeg processes.");
        foreach (var transcoder in transcoders)
        {
            metrics.Sample("appliance_transcoder_cpu_seconds_total", transcoder.CpuSeconds, ("stream", transcoder.Source.ToString()));
        }
        metrics.Family("appliance_rung_bits_per_second", "gauge", "Measured bit rate of a ladder rung's stream over the last second (its target: appliance_rung_target_bits_per_second).");
        foreach (var transcoder in transcoders)
        {
            foreach (var rung in transcoder.Rungs)
            {
                metrics.Sample("appliance_rung_bits_per_second", rung.MeasuredBitsPerSecond, ("stream", rung.Key.ToString()), ("source", transcoder.Source.ToString()), ("rung", rung.Label));
            }
        }
        metrics.Family("appliance_rung_target_bits_per_second", "gauge", "The video bit rate a ladder rung is encoded at (its videoBitrate).");
        foreach (var transcoder in transcoders)
        {
            foreach (var rung in transcoder.Rungs)
            {
                metrics.Sample("appliance_rung_target_bits_per_second", rung.TargetBitsPerSecond, ("stream", rung.Key.ToString()), ("source", transcoder.Source.ToString()), ("rung", rung.Label));
            }
        }
    }
}
