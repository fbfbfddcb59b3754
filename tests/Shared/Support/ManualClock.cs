namespace Appliance.Tests.Support;

/// <summary>A clock the test sets, so expiry and cache lifetimes are exact rather than raced.</summary>
internal sealed class ManualClock(long unixSeconds) : TimeProvider
{
    public long UnixSeconds { get; set; } = unixSeconds;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);
}
