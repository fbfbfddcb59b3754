using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

public sealed class RouteSelectorTests
{
    private const string ParentA = "rtmp://parent-a/live";
    private const string ParentB = "rtmp://parent-b/live";
    private const string Origin = "http://origin/{app}/{stream}.flv";

    private readonly ManualMonotonicClock _clock = new();
    private readonly Candidates _candidates;
    private readonly RouteSelector _selector = new();

    public RouteSelectorTests()
    {
        _candidates = new Candidates(_clock);
    }

    private long Now => _clock.NowMs;

    private static string[] Ids(RouteCandidate[] ranked) => [.. ranked.Select(c => c.Id)];

    /// <summary>The order to try for the stream "domain/app/name", as a pull asks for it.</summary>
    private RouteCandidate[] Rank(string key, RouteCandidate[] candidates, long now, RouteSelector? selector = null)
    {
        var parts = key.Split('/');
        var ranked = new RouteCandidate[candidates.Length];
        (selector ?? _selector).Rank(new StreamKey(parts[0], parts[1], parts[2]), candidates, now, ranked);
        return ranked;
    }

    [Fact]
    public void ABetterPriorityClassComesFirstEvenWhenSlower()
    {
        var publicPath = _candidates.Make(ParentA, priority: 1, rttMs: 10);
        var privateLine = _candidates.Make(ParentB, priority: 0, rttMs: 300);

        var ranked = Rank("default/live/cam", [publicPath, privateLine], Now);

        Assert.Same(privateLine, ranked[0]);
        Assert.Same(publicPath, ranked[1]);
    }

    [Fact]
    public void DownCandidatesComeLastWhateverTheirClass()
    {
        var privateLine = _candidates.Make(ParentA, priority: 0, rttMs: 5);
        var publicPath = _candidates.Make(ParentB, priority: 1, rttMs: 80);
        var origin = _candidates.Make(Origin, priority: 2, rttMs: 150);
        Candidates.TakeDown(privateLine);

        var ranked = Rank("default/live/cam", [privateLine, publicPath, origin], Now);

        Assert.Equal([publicPath, origin, privateLine], ranked);

        _clock.Advance(10_000);
        ranked = Rank("default/live/cam", [privateLine, publicPath, origin], Now);
        Assert.Same(privateLine, ranked[0]);
    }

    [Fact]
    public void DownCandidatesKeepTheirClassOrderAmongThemselves()
    {
        var a = _candidates.Make(ParentA, priority: 1, rttMs: 5);
        var b = _candidates.Make(ParentB, priority: 0, rttMs: 80);
        Candidates.TakeDown(a);
        Candidates.TakeDown(b);

        Assert.Equal([b, a], Rank("default/live/cam", [a, b], Now));
    }

    [Fact]
    public void AClearlyBetterCandidateWinsOverHashingForEveryStream()
    {
        var near = _candidates.Make(ParentA, rttMs: 20);
        var far = _candidates.Make(ParentB, weight: 100, rttMs: 200);

        for (int i = 0; i < 500; i++)
        {
            Assert.Same(near, Rank($"default/live/cam{i}", [far, near], Now)[0]);
        }
    }

    [Fact]
    public void CandidatesOutsideTheToleranceFollowByCost()
    {
        var best = _candidates.Make(ParentA, rttMs: 20);
        var worst = _candidates.Make(ParentB, rttMs: 500);
        var middle = _candidates.Make(Origin, rttMs: 300);

        Assert.Equal([best, middle, worst], Rank("default/live/cam", [worst, best, middle], Now));
    }

    [Theory]
    [InlineData(100, 124, true)]  // within 25% of the best
    [InlineData(100, 126, false)]
    [InlineData(40, 59, true)]    // within 20 ms of a fast best
    [InlineData(40, 61, false)]
    public void CandidatesWithinTheToleranceAreEquallyGood(double best, double other, bool shared)
    {
        var a = _candidates.Make(ParentA, rttMs: best);
        var b = _candidates.Make(ParentB, rttMs: other);

        int firstB = 0;
        for (int i = 0; i < 200; i++)
        {
            firstB += Rank($"default/live/cam{i}", [a, b], Now)[0] == b ? 1 : 0;
        }

        Assert.Equal(shared, firstB > 50);
        if (!shared)
        {
            Assert.Equal(0, firstB);
        }
    }

    [Fact]
    public void TheSameKeyGetsTheSameOrderOnAnotherNodeAndInAnyListOrder()
    {
        var other = new Candidates(new ManualMonotonicClock(5));
        var otherSelector = new RouteSelector();
        var mine = new[] { _candidates.Make(ParentA), _candidates.Make(ParentB), _candidates.Make(Origin) };
        var theirs = new[] { other.Make(Origin), other.Make(ParentA), other.Make(ParentB) };

        for (int i = 0; i < 200; i++)
        {
            var key = $"default/live/cam{i}";
            var ranked = Ids(Rank(key, mine, Now));
            Assert.Equal(ranked, Ids(Rank(key, theirs, 5, otherSelector)));
            Assert.Equal(ranked, Ids(Rank(key, [.. mine.Reverse()], Now)));
        }
    }

    [Theory]
    [InlineData("default/live/cam", "http://origin:80/{app}/{stream}.flv", "rtmp://parent-a:1935/live", "rtmp://parent-b:1935/live")]
    [InlineData("default/live/cam2", "rtmp://parent-b:1935/live", "http://origin:80/{app}/{stream}.flv", "rtmp://parent-a:1935/live")]
    [InlineData("example.com/live/channel-42", "http://origin:80/{app}/{stream}.flv", "rtmp://parent-b:1935/live", "rtmp://parent-a:1935/live")]
    [InlineData("default/live/caméra", "http://origin:80/{app}/{stream}.flv", "rtmp://parent-a:1935/live", "rtmp://parent-b:1935/live")]
    [InlineData("default/live/b", "rtmp://parent-a:1935/live", "rtmp://parent-b:1935/live", "http://origin:80/{app}/{stream}.flv")]
    public void TheOrderMatchesTheDocumentedHash(string key, string first, string second, string third)
    {
        // Computed independently (a Python script of the formula in RouteSelector's summary), so any
        // change to the hash, which would reshuffle every node's streams, fails here.
        var ranked = Rank(key, [_candidates.Make(ParentA), _candidates.Make(ParentB), _candidates.Make(Origin)], Now);

        Assert.Equal([first, second, third], Ids(ranked));
    }

    [Fact]
    public void StreamsSpreadByWeight()
    {
        var candidates = new[] { _candidates.Make(ParentA, weight: 1), _candidates.Make(ParentB, weight: 2), _candidates.Make(Origin, weight: 3) };
        var firsts = new int[3];
        const int Keys = 30_000;
        var ranked = new RouteCandidate[3];

        for (int i = 0; i < Keys; i++)
        {
            _selector.Rank(new StreamKey("default", "live", $"stream-{i}"), candidates, Now, ranked);
            firsts[Array.IndexOf(candidates, ranked[0])]++;
        }

        Assert.InRange(firsts[0] / (double)Keys, 1 / 6.0 - 0.015, 1 / 6.0 + 0.015);
        Assert.InRange(firsts[1] / (double)Keys, 2 / 6.0 - 0.015, 2 / 6.0 + 0.015);
        Assert.InRange(firsts[2] / (double)Keys, 3 / 6.0 - 0.015, 3 / 6.0 + 0.015);
    }

    [Fact]
    public void RemovingACandidateMovesOnlyTheStreamsItHad()
    {
        var a = _candidates.Make(ParentA);
        var b = _candidates.Make(ParentB);
        var c = _candidates.Make(Origin);
        int moved = 0;

        for (int i = 0; i < 3_000; i++)
        {
            var key = $"default/live/cam{i}";
            var before = Rank(key, [a, b, c], Now)[0];
            var after = Rank(key, [a, c], Now)[0];
            if (before != b)
            {
                Assert.Same(before, after);
            }
            else
            {
                moved++;
            }
        }

        Assert.InRange(moved, 800, 1_200);
    }

    [Fact]
    public void AZeroWeightCandidateIsOnlyChosenWhenNoOtherIsAsGood()
    {
        var standby = _candidates.Make(ParentA, weight: 0, rttMs: 20);
        var active = _candidates.Make(ParentB, weight: 1, rttMs: 25);

        for (int i = 0; i < 200; i++)
        {
            Assert.Same(active, Rank($"default/live/cam{i}", [standby, active], Now)[0]);
        }

        active.Health.RecordRtt(400);
        Assert.Same(standby, Rank("default/live/cam", [standby, active], Now)[0]);
    }

    [Fact]
    public void TheOrderFillsTheFrontOfALongerOutputAndAShorterOneIsRefused()
    {
        var candidates = new[] { _candidates.Make(ParentA, rttMs: 50), _candidates.Make(ParentB), _candidates.Make(Origin, priority: 1) };
        var key = new StreamKey("default", "live", "cam");
        var ranked = new RouteCandidate[4];

        _selector.Rank(key, candidates, Now, ranked);

        Assert.Equal(candidates.ToHashSet(), ranked[..3].ToHashSet());
        Assert.Null(ranked[3]);
        Assert.Throws<ArgumentException>(() => _selector.Rank(key, candidates, Now, new RouteCandidate[2]));
    }

    [Fact]
    public void ManyCandidatesAreRankedToo()
    {
        var candidates = Enumerable.Range(0, 50)
            .Select(i => _candidates.Make($"rtmp://parent-{i}/live", priority: i % 3, rttMs: 10 + i))
            .ToArray();

        var ranked = Rank("default/live/cam", candidates, Now);

        Assert.Equal(50, ranked.Distinct().Count());
        for (int i = 1; i < ranked.Length; i++)
        {
            Assert.True(ranked[i - 1].Priority <= ranked[i].Priority);
        }
    }

    [Fact]
    public void NoCandidatesRankToNothing()
    {
        Assert.Empty(Rank("default/live/cam", [], Now));
    }
}
