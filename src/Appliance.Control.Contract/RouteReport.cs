namespace Appliance.Control.Contract;

/// <summary>One upstream candidate of an app, its measured health, and the streams it feeds now.</summary>
public sealed class RouteReport
{
    public string Domain { get; set; } = "";

    public string App { get; set; } = "";

    public string Url { get; set; } = "";

    public int Priority { get; set; }

    public int Weight { get; set; }

    public bool Down { get; set; }

    public double? RttMs { get; set; }

    public double? ConnectMs { get; set; }

    public double? ThroughputBitsPerSecond { get; set; }

    /// <summary>Recent pulls' media time delivered per second (capped at 1); below 0.9 the path does not carry the stream.</summary>
    public double? CarryRatio { get; set; }

    /// <summary>An SRT pull's share of packets lost on the way, in percent (recent average); null for other protocols.</summary>
    public double? LossPercent { get; set; }

    /// <summary>An SRT pull's share of packets that came as retransmissions, in percent (recent average).</summary>
    public double? RetransmitPercent { get; set; }

    public int Stalls { get; set; }

    public int Failures { get; set; }

    public string? LastError { get; set; }

    public double Cost { get; set; }

    public List<string> Streams { get; set; } = [];

    /// <summary>Not a configured upstream: the stream directory named it for the streams it feeds.</summary>
    public bool Directory { get; set; }
}
