using Appliance.Relay.Routing;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

/// <summary>An SRT pull's link figures in the candidate's health and cost.</summary>
public sealed class CandidateHealthLinkTests
{
    private readonly ManualMonotonicClock _clock = new();

    private long Now => _clock.NowMs;

    [Fact]
    public void SrtsRttIsTheRttAndEachPercentOfLossCosts20Ms()
    {
        var health = new CandidateHealth(null, _clock.Read);

        health.RecordLink(rttMs: 80, lossRatio: 0.05, retransmitRatio: 0.04);

        var snapshot = health.Snapshot(Now);
        Assert.Equal(80, snapshot.RttMs);
        Assert.Equal(0.05, snapshot.LinkLossRatio!.Value, 6);
        Assert.Equal(0.04, snapshot.LinkRetransmitRatio!.Value, 6);
        Assert.Equal(80 + 20 * 5, health.Cost(Now), 6);
    }

    [Fact]
    public void ALosslessSrtPathBeatsALossyOneOfTheSameRtt()
    {
        var clean = new CandidateHealth(null, _clock.Read);
        var lossy = new CandidateHealth(null, _clock.Read);
        clean.RecordLink(50, 0, 0);
        lossy.RecordLink(50, 0.1, 0.1);
        Assert.True(clean.Cost(Now) < lossy.Cost(Now));
    }

    [Fact]
    public void OldLinkFiguresNoLongerCount()
    {
        var health = new CandidateHealth(null, _clock.Read);
        health.RecordLink(50, 0.2, 0.2);
        _clock.Advance(HealthOptions.Default.ThroughputWindowMs + 1);
        var snapshot = health.Snapshot(Now);
        Assert.Null(snapshot.LinkLossRatio);
        Assert.Null(snapshot.LinkRetransmitRatio);
        Assert.Equal(50, health.Cost(Now), 6);
    }

    [Fact]
    public void OtherProtocolsShowNoLinkFigures()
    {
        var health = new CandidateHealth(null, _clock.Read);
        health.RecordRtt(30);
        Assert.Null(health.Snapshot(Now).LinkLossRatio);
    }
}
