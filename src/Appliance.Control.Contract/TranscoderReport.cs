namespace Appliance.Control.Contract;

/// <summary>The transcoder of one source stream: its ffmpeg and the rungs it makes.</summary>
public sealed class TranscoderReport
{
    /// <summary>domain/app/name of the source.</summary>
    public string Source { get; set; } = "";

    /// <summary>starting, running, restarting (waiting out its backoff) or stopped.</summary>
    public string State { get; set; } = "";

    public string Encoder { get; set; } = "";

    /// <summary>The running ffmpeg's process id; 0 between two of them.</summary>
    public int Pid { get; set; }

    /// <summary>Video frames the running ffmpeg encoded (its first rung's).</summary>
    public long Frames { get; set; }

    public double Fps { get; set; }

    /// <summary>Media time encoded per second of real time; below 1 the transcoder falls behind the source.</summary>
    public double Speed { get; set; }

    /// <summary>Times ffmpeg was started again after it died or stalled.</summary>
    public int Restarts { get; set; }

    /// <summary>CPU seconds (user + system) of every ffmpeg this transcoder ran.</summary>
    public double CpuSeconds { get; set; }

    /// <summary>CPU of the running ffmpeg over the last second, in percent of one core.</summary>
    public double CpuPercent { get; set; }

    public long UptimeSeconds { get; set; }

    public List<RungReport> Rungs { get; set; } = [];
}

/// <summary>One rung a transcoder makes.</summary>
public sealed class RungReport
{
    public string Label { get; set; } = "";

    /// <summary>domain/app/name of the rung's stream ({source}_{label}).</summary>
    public string Stream { get; set; } = "";

    public int Width { get; set; }

    public int Height { get; set; }

    public long TargetBitsPerSecond { get; set; }

    /// <summary>The rung stream's bit rate as the node receives it, over the last second.</summary>
    public long MeasuredBitsPerSecond { get; set; }
}
