namespace Appliance.Relay.Routing;

/// <summary>A candidate's health at one instant, for the routes table; null where nothing has been measured (or it is too old to count).</summary>
/// <param name="CarryRatio">Recent pull throughput over the stream's own rate, capped at 1; below 0.9 the path does not carry the stream.</param>
/// <param name="RetryInMs">While down: how long until it may be probed or pulled from again.</param>
public sealed record CandidateHealthSnapshot(
    double? RttMs,
    double? ConnectMs,
    double? ThroughputBytesPerSecond,
    double? CarryRatio,
    int Stalls,
    int ConsecutiveFailures,
    string? LastError,
    bool Down,
    long RetryInMs,
    double Cost)
{
    /// <summary>An SRT pull's share of packets lost on the way (0 to 1, recent average); null for other protocols or when old.</summary>
    public double? LinkLossRatio { get; init; }

    /// <summary>An SRT pull's share of packets that came as retransmissions (0 to 1, recent average).</summary>
    public double? LinkRetransmitRatio { get; init; }
}
