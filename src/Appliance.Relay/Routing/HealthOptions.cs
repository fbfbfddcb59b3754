namespace Appliance.Relay.Routing;

/// <summary>How candidate health is measured, when a candidate counts as down, and the weights of <see cref="CandidateHealth.Cost"/>.</summary>
public sealed class HealthOptions
{
    public static HealthOptions Default { get; } = new();

    /// <summary>Time constant over which RTT and connect-time spikes are forgotten.</summary>
    public double LatencyDecayMs { get; init; } = 10_000;

    /// <summary>Time constant of the throughput averages.</summary>
    public double ThroughputDecayMs { get; init; } = 5_000;

    /// <summary>Consecutive failures after which a candidate is down.</summary>
    public int FailuresBeforeDown { get; init; } = 3;

    /// <summary>How long a candidate stays down after the failure that took it down; doubles with each further failure.</summary>
    public long RetryMs { get; init; } = 10_000;

    /// <summary>The cap of the doubling retry delay.</summary>
    public long MaxRetryMs { get; init; } = 60_000;

    /// <summary>Stalls older than this no longer count.</summary>
    public long StallWindowMs { get; init; } = 60_000;

    /// <summary>Throughput measured longer ago than this no longer counts (the path may have recovered).</summary>
    public long ThroughputWindowMs { get; init; } = 60_000;

    /// <summary>The latency a never-measured candidate is assumed to have: worse than a good path, better than a poor one.</summary>
    public double UnknownLatencyMs { get; init; } = 200;

    /// <summary>Added per stall in the window.</summary>
    public double StallPenaltyMs { get; init; } = 250;

    /// <summary>Added per consecutive failure, so a failing candidate sinks before it is down.</summary>
    public double FailurePenaltyMs { get; init; } = 500;

    /// <summary>Below this share of the stream's own rate a path is taken not to carry the stream.</summary>
    public double MinCarryRatio { get; init; } = 0.9;

    /// <summary>Added when a path does not carry the stream, plus as much again times the missing share.</summary>
    public double ThroughputPenaltyMs { get; init; } = 1_000;

    /// <summary>Added per percent of packets an SRT pull's link lost (recent average).</summary>
    public double LinkLossPenaltyMs { get; init; } = 20;

    /// <summary>Added while down, so down candidates sort after every live one even by cost alone.</summary>
    public double DownPenaltyMs { get; init; } = 100_000;
}
