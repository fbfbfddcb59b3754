using Appliance.Relay.Routing;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

/// <summary><see cref="RouteSelector.ShouldLeave"/>: a live route is left for a clearly, durably better one, and not often.</summary>
public sealed class RouteHysteresisTests
{
    private readonly ManualMonotonicClock _clock = new();
    private readonly Candidates _candidates;
    private readonly RouteSelector _selector = new();
    private readonly RouteSwitchState _state = new();

    public RouteHysteresisTests()
    {
        _candidates = new Candidates(_clock);
    }

    private long Now => _clock.NowMs;

    /// <summary>Calls ShouldLeave once a second for <paramref name="seconds"/>, feeding RTT samples first; returns the seconds at which it said yes.</summary>
    private List<int> Watch(RouteCandidate current, RouteCandidate[] all, int seconds, Action<int>? sample = null)
    {
        var yes = new List<int>();
        for (int s = 1; s <= seconds; s++)
        {
            _clock.Advance(1_000);
            sample?.Invoke(s);
            if (_selector.ShouldLeave(_state, current, all, Now))
            {
                yes.Add(s);
            }
        }
        return yes;
    }

    [Fact]
    public void NoiseBetweenComparablePathsNeverMovesTheStream()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 100);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 100);
        var random = new Random(7);

        var yes = Watch(current, [current, other], 300, _ =>
        {
            current.Health.RecordRtt(60 + random.Next(100));
            other.Health.RecordRtt(40 + random.Next(100));
        });

        Assert.Empty(yes);
    }

    [Fact]
    public void ASustainedClearDifferenceMovesTheStreamAfterTheHoldTime()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 50);

        // First seen better at second 1; the hold of 3 s has passed at second 4.
        var yes = Watch(current, [current, other], 4);

        Assert.Equal([4], yes);
    }

    [Fact]
    public void ABreakInTheDifferenceRestartsTheHold()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 50);

        Assert.Empty(Watch(current, [current, other], 2));
        Assert.Empty(Watch(current, [current], 1));

        // Better again: the 3 s count from the first of these calls.
        Assert.Equal([4], Watch(current, [current, other], 4));
    }

    [Fact]
    public void TheStreamDoesNotSwitchAgainWithinTheAntiFlapInterval()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 50);
        _state.NoteSwitch(Now);

        var yes = Watch(current, [current, other], 20);

        Assert.Equal(15, yes[0]);
    }

    [Fact]
    public void NoteSwitchForgetsWhatWasBetterThanTheOldRoute()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 50);
        Watch(current, [current, other], 20);

        _state.NoteSwitch(Now);
        _clock.Advance(15_000);

        Assert.False(_selector.ShouldLeave(_state, current, [current, other], Now));
    }

    [Theory]
    [InlineData(150, 60)]   // under half, but only 90 ms better
    [InlineData(300, 160)]  // 140 ms better, but more than half
    public void ADifferenceThatIsNotClearNeverMovesTheStream(double currentRtt, double otherRtt)
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: currentRtt);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: otherRtt);

        Assert.Empty(Watch(current, [current, other], 60));
    }

    [Fact]
    public void AWorseClassDoesNotTempt()
    {
        var current = _candidates.Make("rtmp://parent-a/live", priority: 0, rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", priority: 1, rttMs: 10);

        Assert.Empty(Watch(current, [current, other], 60));
    }

    [Fact]
    public void ABetterClassCountsLikeTheSameClass()
    {
        var current = _candidates.Make("rtmp://parent-a/live", priority: 1, rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", priority: 0, rttMs: 10);

        Assert.Equal(4, Watch(current, [current, other], 4).Single());
    }

    [Fact]
    public void ADownCandidateDoesNotTempt()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 400);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 10);
        Candidates.TakeDown(other);

        Assert.Empty(Watch(current, [current, other], 9));
    }

    [Fact]
    public void APathThatCannotCarryTheStreamIsLeftForAFarButSufficientOne()
    {
        var current = _candidates.Make("rtmp://near/live", rttMs: 5);
        var other = _candidates.Make("rtmp://far/live", rttMs: 250);

        var yes = Watch(current, [current, other], 5, _ => current.Health.RecordThroughput(60_000, mediaBytesPerSecond: 100_000));

        Assert.Equal(4, yes[0]);
    }

    [Fact]
    public void ACandidateThatLeftTheListIsLeftAtOnce()
    {
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 10);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 400);

        Assert.True(_selector.ShouldLeave(_state, current, [other], Now));
    }

    [Fact]
    public void TheThresholdsComeFromTheOptions()
    {
        var selector = new RouteSelector(new SelectorOptions { LeaveHoldMs = 0, MinSwitchIntervalMs = 0, LeaveCostRatio = 0.9, LeaveMinGainMs = 10 });
        var current = _candidates.Make("rtmp://parent-a/live", rttMs: 100);
        var other = _candidates.Make("rtmp://parent-b/live", rttMs: 85);

        Assert.True(selector.ShouldLeave(_state, current, [current, other], Now));
    }
}
