namespace Appliance.Relay.Routing;

/// <summary>When candidates count as equally good, and how sticky a stream's current route is.</summary>
public sealed class SelectorOptions
{
    public static SelectorOptions Default { get; } = new();

    /// <summary>Candidates within max(this, <see cref="ToleranceRatio"/> × best) of a class's best cost are equally good and share streams by weight.</summary>
    public double ToleranceMs { get; init; } = 20;

    /// <inheritdoc cref="ToleranceMs"/>
    public double ToleranceRatio { get; init; } = 0.25;

    /// <summary>A live route is left only for one costing less than this share of it...</summary>
    public double LeaveCostRatio { get; init; } = 0.5;

    /// <summary>...and at least this much less...</summary>
    public double LeaveMinGainMs { get; init; } = 100;

    /// <summary>...continuously for this long...</summary>
    public long LeaveHoldMs { get; init; } = 3_000;

    /// <summary>...and never sooner than this after the stream's previous switch.</summary>
    public long MinSwitchIntervalMs { get; init; } = 15_000;
}
