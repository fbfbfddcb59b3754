using Appliance.Relay.Routing;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

public sealed class CandidateHealthTests
{
    private readonly ManualMonotonicClock _clock = new();

    private CandidateHealth Health(HealthOptions? options = null) => new(options, _clock.Read);

    private long Now => _clock.NowMs;

    [Fact]
    public void ANeverMeasuredCandidateCostsTheNeutralLatency()
    {
        var health = Health();

        Assert.Equal(200, health.Cost(Now));
        var snapshot = health.Snapshot(Now);
        Assert.Null(snapshot.RttMs);
        Assert.Null(snapshot.ConnectMs);
        Assert.Null(snapshot.ThroughputBytesPerSecond);
        Assert.Null(snapshot.CarryRatio);
        Assert.False(snapshot.Down);
        Assert.Equal(200, snapshot.Cost);
    }

    [Fact]
    public void NeverMeasuredIsTriedBeforeAPoorPathButNotBeforeAGoodOne()
    {
        var good = Health();
        good.RecordRtt(30);
        var poor = Health();
        poor.RecordRtt(400);

        Assert.True(good.Cost(Now) < Health().Cost(Now));
        Assert.True(Health().Cost(Now) < poor.Cost(Now));
    }

    [Theory]
    [InlineData(40.0, null, 40.0)]
    [InlineData(null, 25.0, 25.0)]
    [InlineData(40.0, 25.0, 40.0)]
    [InlineData(10.0, 25.0, 25.0)]
    public void LatencyIsTheLargerOfRttAndConnectTime(double? rtt, double? connect, double expected)
    {
        var health = Health();
        if (rtt is { } r)
        {
            health.RecordRtt(r);
        }
        if (connect is { } c)
        {
            health.RecordConnect(c);
        }

        Assert.Equal(expected, health.Cost(Now));
    }

    [Fact]
    public void EachStallInTheWindowAdds250Ms()
    {
        var health = Health();
        health.RecordRtt(20);

        health.RecordStall();
        _clock.Advance(30_000);
        health.RecordStall();

        Assert.Equal(520, health.Cost(Now));
        Assert.Equal(2, health.Snapshot(Now).Stalls);

        _clock.Advance(30_000);
        Assert.Equal(270, health.Cost(Now));

        _clock.Advance(30_000);
        Assert.Equal(20, health.Cost(Now));
    }

    [Fact]
    public void StallsAreCountedInBoundedMemory()
    {
        var health = Health();
        health.RecordRtt(20);

        for (int i = 0; i < 1000; i++)
        {
            health.RecordStall();
        }

        Assert.Equal(32, health.Snapshot(Now).Stalls);
    }

    [Fact]
    public void APathThatDoesNotCarryTheStreamCostsMoreThanAnyRtt()
    {
        var starved = Health();
        starved.RecordRtt(5);
        var distant = Health();
        distant.RecordRtt(400);

        starved.RecordThroughput(50_000, mediaBytesPerSecond: 100_000);
        distant.RecordThroughput(100_000, mediaBytesPerSecond: 100_000);

        // carry 0.5: 1000 × (2 − 0.5) on top of the RTT.
        Assert.Equal(1505, starved.Cost(Now));
        Assert.Equal(400, distant.Cost(Now));
        Assert.Equal(0.5, starved.Snapshot(Now).CarryRatio);
        Assert.Equal(50_000, starved.Snapshot(Now).ThroughputBytesPerSecond);
    }

    [Fact]
    public void ThroughputJustBelowTheStreamRateIsNoise()
    {
        var health = Health();
        health.RecordRtt(20);

        health.RecordThroughput(92_000, mediaBytesPerSecond: 100_000);

        Assert.Equal(20, health.Cost(Now));
    }

    [Fact]
    public void ACatchUpBurstDoesNotHideADeficitThatFollows()
    {
        var health = Health();
        health.RecordRtt(20);
        health.RecordThroughput(500_000, mediaBytesPerSecond: 100_000);

        _clock.Advance(5_000);
        health.RecordThroughput(40_000, mediaBytesPerSecond: 100_000);

        // carry: 1 (capped) decays one time constant towards 0.4.
        double carry = 1 * Math.Exp(-1) + 0.4 * (1 - Math.Exp(-1));
        Assert.Equal(carry, health.Snapshot(Now).CarryRatio!.Value, 12);
        Assert.Equal(20 + 1000 * (2 - carry), health.Cost(Now), 9);
    }

    [Fact]
    public void ThroughputWithoutTheStreamRateIsShownButNotJudged()
    {
        var health = Health();
        health.RecordRtt(20);

        health.RecordThroughput(1_000);

        Assert.Equal(20, health.Cost(Now));
        Assert.Equal(1_000, health.Snapshot(Now).ThroughputBytesPerSecond);
        Assert.Null(health.Snapshot(Now).CarryRatio);
    }

    [Fact]
    public void OldThroughputEvidenceStopsCounting()
    {
        var health = Health();
        health.RecordRtt(20);
        health.RecordThroughput(10_000, mediaBytesPerSecond: 100_000);

        _clock.Advance(60_001);

        Assert.Equal(20, health.Cost(Now));
        Assert.Null(health.Snapshot(Now).ThroughputBytesPerSecond);
    }

    [Fact]
    public void EachConsecutiveFailureAddsAPenaltyBeforeTheCandidateIsDown()
    {
        var health = Health();
        health.RecordRtt(20);

        health.RecordFailure("refused");
        Assert.Equal(520, health.Cost(Now));
        health.RecordFailure("refused");
        Assert.Equal(1020, health.Cost(Now));

        Assert.False(health.IsDown(Now));
    }

    [Fact]
    public void ThreeFailuresTakeItDownForTenSecondsThenItIsHalfOpen()
    {
        var health = Health();
        health.RecordRtt(20);

        health.RecordFailure("a");
        health.RecordFailure("b");
        health.RecordFailure("connection refused");

        Assert.True(health.IsDown(Now));
        Assert.Equal(100_000 + 20 + 1500, health.Cost(Now));
        var snapshot = health.Snapshot(Now);
        Assert.True(snapshot.Down);
        Assert.Equal(10_000, snapshot.RetryInMs);
        Assert.Equal(3, snapshot.ConsecutiveFailures);
        Assert.Equal("connection refused", snapshot.LastError);

        _clock.Advance(9_999);
        Assert.True(health.IsDown(Now));
        _clock.Advance(1);
        Assert.False(health.IsDown(Now));
        Assert.Equal(0, health.Snapshot(Now).RetryInMs);
    }

    [Theory]
    [InlineData(4, 20_000)]
    [InlineData(5, 40_000)]
    [InlineData(6, 60_000)]
    [InlineData(7, 60_000)]
    [InlineData(40, 60_000)]
    public void EachFurtherFailureDoublesTheRetryDelayUpToTheCap(int failures, long retryMs)
    {
        var health = Health();

        for (int i = 0; i < failures; i++)
        {
            health.RecordFailure("refused");
        }

        Assert.Equal(retryMs, health.Snapshot(Now).RetryInMs);
        _clock.Advance(retryMs - 1);
        Assert.True(health.IsDown(Now));
        _clock.Advance(1);
        Assert.False(health.IsDown(Now));
    }

    [Fact]
    public void ASuccessResetsTheFailuresAndBringsItUp()
    {
        var health = Health();
        health.RecordRtt(20);
        for (int i = 0; i < 5; i++)
        {
            health.RecordFailure("timeout");
        }

        health.RecordSuccess();

        Assert.False(health.IsDown(Now));
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(20, health.Cost(Now));
        Assert.Equal("timeout", health.Snapshot(Now).LastError);

        // The count starts over: two failures do not take it down again.
        health.RecordFailure("x");
        health.RecordFailure("x");
        Assert.False(health.IsDown(Now));
    }

    [Fact]
    public void TheThresholdsComeFromTheOptions()
    {
        var health = Health(new HealthOptions { FailuresBeforeDown = 1, RetryMs = 500, MaxRetryMs = 800, UnknownLatencyMs = 77 });

        Assert.Equal(77, health.Cost(Now));
        health.RecordFailure("x");
        Assert.Equal(500, health.Snapshot(Now).RetryInMs);
        health.RecordFailure("x");
        Assert.Equal(800, health.Snapshot(Now).RetryInMs);
    }

    [Fact]
    public void RttSpikesCountAtOnceAndFadeSlowly()
    {
        var health = Health();
        health.RecordRtt(20);

        _clock.Advance(1_000);
        health.RecordRtt(300);
        Assert.Equal(300, health.Cost(Now));

        _clock.Advance(10_000);
        health.RecordRtt(20);
        Assert.Equal(20 + 280 * Math.Exp(-1), health.Cost(Now), 9);
    }
}
