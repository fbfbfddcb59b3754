namespace Appliance.Tests.Support;

/// <summary>Monotonic milliseconds the test advances by hand, so decays, windows and backoffs are exact.</summary>
internal sealed class ManualMonotonicClock(long startMs = 1_000_000)
{
    public long NowMs { get; set; } = startMs;

    public Func<long> Read => () => NowMs;

    public void Advance(long ms) => NowMs += ms;
}
