using Appliance.Relay.Config;
using Appliance.Relay;
using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

public sealed class UpstreamRoutesTests
{
    private static readonly StreamKey Cam = new("default", "live", "cam");

    private readonly ManualMonotonicClock _clock = new();
    private readonly UpstreamRoutes _routes;

    public UpstreamRoutesTests()
    {
        _routes = new UpstreamRoutes(clock: _clock.Read);
    }

    private static UpstreamConfig Upstream(string url, int weight = 1, int priority = 0, string? healthUrl = null, string? name = null) =>
        new() { Url = url, Weight = weight, Priority = priority, HealthUrl = healthUrl, Name = name };

    private static AppUpstreams App(string domain, string app, params UpstreamConfig[] upstreams) => new(domain, app, upstreams);

    [Fact]
    public void CandidatesAreKeptPerDomainAndAppInConfigOrder()
    {
        _routes.Update([
            App("default", "live", Upstream("rtmp://parent-a/live"), Upstream("rtmp://parent-b/live", weight: 3, priority: 1, name: "backup")),
            App("example.com", "live", Upstream("http://origin/{app}/{stream}.flv")),
        ]);

        var live = _routes.Candidates("default", "live");
        Assert.Equal(["rtmp://parent-a:1935/live", "rtmp://parent-b:1935/live"], live.Select(c => c.Id));
        Assert.Equal(3, live[1].Weight);
        Assert.Equal(1, live[1].Priority);
        Assert.Equal("backup", live[1].Name);
        Assert.Equal("rtmp://parent-a:1935/live", live[0].Name);
        Assert.Single(_routes.Candidates("EXAMPLE.com", "live"));
        Assert.Empty(_routes.Candidates("default", "other"));
        Assert.Empty(_routes.Candidates("nowhere", "live"));
    }

    [Fact]
    public void RankOrdersTheAppsCandidatesForTheStream()
    {
        _routes.Update([App("default", "live", Upstream("rtmp://parent-a/live", priority: 1), Upstream("rtmp://parent-b/live"))]);

        var ranked = _routes.Rank(Cam);

        Assert.Equal(["rtmp://parent-b:1935/live", "rtmp://parent-a:1935/live"], ranked.Select(c => c.Id));
        Assert.Empty(_routes.Rank(new StreamKey("default", "other", "cam")));
    }

    [Fact]
    public void AReloadKeepsTheHealthOfCandidatesWhoseUrlIsUnchanged()
    {
        _routes.Update([App("default", "live", Upstream("rtmp://parent-a/live"), Upstream("rtmp://parent-b/live"))]);
        var kept = _routes.Candidates("default", "live")[0].Health;
        kept.RecordRtt(42);

        // The same URL spelled differently (case, explicit default port) is the same candidate.
        _routes.Update([App("default", "live", Upstream("rtmp://PARENT-A:1935/live", weight: 5), Upstream("rtmp://parent-c/live"))]);

        var now = _routes.Candidates("default", "live");
        Assert.Same(kept, now[0].Health);
        Assert.Equal(5, now[0].Weight);
        Assert.Equal(42, now[0].Health.Snapshot(_clock.NowMs).RttMs);
        Assert.Null(now[1].Health.Snapshot(_clock.NowMs).RttMs);
    }

    [Fact]
    public void AppsListingTheSameUpstreamShareItsHealthAndItsProbe()
    {
        _routes.Update([
            App("default", "live", Upstream("rtmp://parent/live"), Upstream("rtmp://parent/")),
            App("default", "game", Upstream("rtmp://parent/live"), Upstream("rtmp://parent")),
        ]);

        Assert.Same(_routes.Candidates("default", "live")[0].Health, _routes.Candidates("default", "game")[0].Health);
        Assert.Same(_routes.Candidates("default", "live")[1].Health, _routes.Candidates("default", "game")[1].Health);
        Assert.Equal(["rtmp://parent:1935/live", "rtmp://parent:1935"], _routes.ProbeTargets.Select(c => c.Id));
    }

    [Fact]
    public void AnInvalidListIsRefusedAndTheOldTableStays()
    {
        _routes.Update([App("default", "live", Upstream("rtmp://parent-a/live"))]);

        var refused = Assert.Throws<ArgumentException>(() => _routes.Update([App("default", "live", Upstream("rtmpe://origin/live"))]));
        Assert.StartsWith("upstream 0 of default/live: url rtmpe is not supported", refused.Message);
        Assert.Throws<ArgumentException>(() => _routes.Update([App("default", "live", Upstream("rtmp://a/live", healthUrl: "ftp://x"))]));

        Assert.Equal("rtmp://parent-a:1935/live", _routes.Candidates("default", "live").Single().Id);
    }

    [Fact]
    public void ChoicesAreNotedClearedAndShownWithTheirCandidate()
    {
        _routes.Update([App("default", "live", Upstream("rtmp://parent-a/live", name: "a"), Upstream("http://origin:8080/{app}/{stream}.flv", weight: 2, priority: 1))]);
        var a = _routes.Candidates("default", "live")[0];
        _routes.NoteChoice(Cam, a);
        _routes.NoteChoice(new StreamKey("default", "live", "alpha"), a);
        _routes.NoteChoice(new StreamKey("default", "live", "gone"), a);
        _routes.ClearChoice(new StreamKey("default", "live", "gone"));
        a.Health.RecordRtt(12.5);

        Assert.Same(a, _routes.CurrentChoice(Cam));
        Assert.Null(_routes.CurrentChoice(new StreamKey("default", "live", "gone")));
        var rows = _routes.Snapshot();

        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal(("default", "live", "rtmp://parent-a:1935/live", "a", "rtmp", 0, 1), (first.Domain, first.App, first.Url, first.Name, first.Protocol, first.Priority, first.Weight));
        Assert.Null(first.HealthUrl);
        Assert.Equal(12.5, first.Health.RttMs);
        Assert.Equal(12.5, first.Health.Cost);
        Assert.Equal(["alpha", "cam"], first.Streams);
        var second = rows[1];
        Assert.Equal(("http-flv", 1, 2, "http://origin:8080/api/health"), (second.Protocol, second.Priority, second.Weight, second.HealthUrl));
        Assert.Empty(second.Streams);
        Assert.Equal(200, second.Health.Cost);
    }

    [Fact]
    public void ShouldLeaveFollowsTheSelectorsHysteresisAndCountsNotedSwitches()
    {
        _routes.Update([App("default", "live", Upstream("rtmp://parent-a/live"), Upstream("rtmp://parent-b/live"))]);
        var a = _routes.Candidates("default", "live")[0];
        var b = _routes.Candidates("default", "live")[1];
        a.Health.RecordRtt(400);
        b.Health.RecordRtt(20);

        Assert.False(_routes.ShouldLeave(Cam));

        _routes.NoteChoice(Cam, b);
        _routes.NoteChoice(Cam, a);
        var said = new List<long>();
        for (int s = 0; s <= 20; s++)
        {
            if (_routes.ShouldLeave(Cam))
            {
                said.Add(s);
            }
            _clock.Advance(1_000);
        }

        // The switch to a at second 0 holds the stream there for the anti-flap interval.
        Assert.Equal(15, said[0]);
    }

    [Fact]
    public void AStreamWhoseCandidateLeftTheConfigShouldLeaveAtOnce()
    {
        _routes.Update([App("default", "live", Upstream("rtmp://parent-a/live"), Upstream("rtmp://parent-b/live"))]);
        _routes.NoteChoice(Cam, _routes.Candidates("default", "live")[0]);
        Assert.False(_routes.ShouldLeave(Cam));

        _routes.Update([App("default", "live", Upstream("rtmp://parent-b/live"))]);

        Assert.Null(_routes.CurrentChoice(Cam));
        Assert.True(_routes.ShouldLeave(Cam));
    }
}
