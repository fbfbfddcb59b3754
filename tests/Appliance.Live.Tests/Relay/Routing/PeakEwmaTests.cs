using Appliance.Live.Relay.Routing;

namespace Appliance.Live.Tests.Relay.Routing;

public sealed class PeakEwmaTests
{
    [Fact]
    public void HasNoValueBeforeTheFirstSample()
    {
        var ewma = new PeakEwma(10_000);

        Assert.False(ewma.HasValue);
        Assert.True(double.IsNaN(ewma.Value));
        Assert.False(ewma.TryGet(out _, out _));
    }

    [Fact]
    public void TheFirstSampleIsTheValue()
    {
        var ewma = new PeakEwma(10_000);

        ewma.Record(100, 1_000);

        Assert.Equal(100, ewma.Value);
        Assert.True(ewma.TryGet(out var value, out var at));
        Assert.Equal(100, value);
        Assert.Equal(1_000, at);
    }

    [Fact]
    public void LowerSamplesDecayTheValueByElapsedTime()
    {
        var ewma = new PeakEwma(10_000);
        ewma.Record(100, 1_000);

        // One time constant later: 100·e^−1.
        ewma.Record(0, 11_000);
        Assert.Equal(36.787944117144235, ewma.Value, 12);

        // Half a time constant later, towards 10: v·e^−0.5 + 10·(1 − e^−0.5).
        ewma.Record(10, 16_000);
        Assert.Equal(26.24770941771665, ewma.Value, 12);
    }

    [Fact]
    public void AHigherSampleIsTakenAtOnce()
    {
        var ewma = new PeakEwma(10_000);
        ewma.Record(20, 0);
        ewma.Record(20, 60_000);

        ewma.Record(500, 60_001);

        Assert.Equal(500, ewma.Value);
    }

    [Fact]
    public void ASpikeIsForgottenOnlyOverTime()
    {
        var ewma = new PeakEwma(10_000);
        ewma.Record(20, 0);
        ewma.Record(500, 1_000);

        // A burst of good samples within a millisecond hardly moves it: no time has passed.
        for (int i = 0; i < 100; i++)
        {
            ewma.Record(20, 1_000);
        }
        Assert.Equal(500, ewma.Value);

        ewma.Record(20, 31_000);
        Assert.Equal(20 + 480 * Math.Exp(-3), ewma.Value, 9);
    }

    [Fact]
    public void AClockReadingFromBeforeTheLastSampleCountsAsNoTime()
    {
        var ewma = new PeakEwma(10_000);
        ewma.Record(100, 5_000);

        ewma.Record(0, 4_000);

        Assert.Equal(100, ewma.Value);
        Assert.True(ewma.TryGet(out _, out var at));
        Assert.Equal(5_000, at);
    }

    [Fact]
    public void NonFiniteSamplesAreIgnored()
    {
        var ewma = new PeakEwma(10_000);
        ewma.Record(double.NaN, 0);
        Assert.False(ewma.HasValue);

        ewma.Record(30, 0);
        ewma.Record(double.PositiveInfinity, 1);
        Assert.Equal(30, ewma.Value);
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        var ewma = new PeakEwma(10_000);
        ewma.Record(30, 0);

        ewma.Reset();

        Assert.False(ewma.HasValue);
        ewma.Record(5, 100);
        Assert.Equal(5, ewma.Value);
    }

    [Fact]
    public void RejectsANonPositiveTimeConstant()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeakEwma(0));
    }

    [Fact]
    public void ConcurrentSamplesAtOneInstantLeaveTheHighest()
    {
        var ewma = new PeakEwma(10_000);

        Parallel.For(0, 20_000, i => ewma.Record(i % 1000, 42));

        Assert.Equal(999, ewma.Value);
    }
}
