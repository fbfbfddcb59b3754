namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// How an <see cref="ImpairmentRelay"/> spoils one direction of a path. Each chunk read is released
/// at <c>max(previous release, arrival + DelayMs ± uniform JitterMs)</c>, so jitter never reorders
/// bytes; released bytes are then paced by a token bucket of <see cref="RateBytesPerSecond"/>; and
/// for <see cref="StallForMs"/> after every <see cref="StallEveryMs"/> of flow (counted from when
/// the impairment was set) nothing moves at all.
/// </summary>
public sealed record Impairment
{
    public static Impairment None { get; } = new();

    /// <summary>One-way delay added to every chunk.</summary>
    public int DelayMs { get; init; }

    /// <summary>Each chunk's delay varies uniformly within ± this (never below zero, never reordering).</summary>
    public int JitterMs { get; init; }

    /// <summary>0 = no cap.</summary>
    public long RateBytesPerSecond { get; init; }

    /// <summary>Whether all connections through the relay share one bucket (a bottleneck link) or each gets its own.</summary>
    public bool SharedRate { get; init; }

    /// <summary>0 = no stalls; otherwise the length of each flowing period between stalls.</summary>
    public int StallEveryMs { get; init; }

    public int StallForMs { get; init; }
}
