namespace Appliance.Live.Relay.Pull;

/// <summary>The timing of one app's pulls, from its config.</summary>
public sealed record PullOptions(
    int WaitMs,
    int IdleMs,
    int StallMs,
    int ConnectTimeoutMs,
    int MaxHops,
    int RetryMs,
    int MaxRetryMs,
    bool Always);
