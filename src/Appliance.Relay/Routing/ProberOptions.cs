namespace Appliance.Relay.Routing;

/// <summary>How often candidates are probed and how long one probe may take.</summary>
public sealed class ProberOptions
{
    public static ProberOptions Default { get; } = new();

    /// <summary>A candidate is probed this often (a probe still running when the next is due is not doubled).</summary>
    public int IntervalMs { get; init; } = 5_000;

    /// <summary>One probe, connect and health answer together, fails past this.</summary>
    public int TimeoutMs { get; init; } = 2_000;
}
