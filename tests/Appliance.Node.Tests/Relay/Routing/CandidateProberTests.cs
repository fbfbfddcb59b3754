using Appliance.Relay.Urls;
using Appliance.Relay;
using Appliance.Relay.Routing;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Routing;

public sealed class CandidateProberTests
{
    private static RouteCandidate Candidate(string url, string? healthUrl = null, Func<long>? clock = null)
    {
        Assert.True(UpstreamUrl.TryParse(url, out var parsed, out var error), error);
        HealthUrl? health = null;
        Assert.True(healthUrl is null || HealthUrl.TryParse(healthUrl, out health, out error), error);
        return new RouteCandidate(parsed, health: new CandidateHealth(null, clock), healthUrl: health);
    }

    private static RouteCandidate HttpCandidate(int port) => Candidate($"http://127.0.0.1:{port}/{{app}}/{{stream}}.flv");

    private static CandidateProber Prober(int timeoutMs = 2_000, int intervalMs = 5_000, params RouteCandidate[] candidates) =>
        new(() => candidates, new ProberOptions { TimeoutMs = timeoutMs, IntervalMs = intervalMs });

    [Fact]
    public async Task A2xxHealthAnswerRecordsConnectTimeAndRtt()
    {
        await using var server = new HealthServer(200);
        var candidate = HttpCandidate(server.Port);
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.True(result.Success, result.Error);
        Assert.Equal(200, result.Status);
        Assert.True(result.ConnectMs > 0);
        Assert.True(result.RttMs > 0);
        var health = candidate.Health.Snapshot(0);
        Assert.Equal(result.ConnectMs, health.ConnectMs);
        Assert.Equal(result.RttMs, health.RttMs);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.True(server.Requests.TryDequeue(out var request));
        Assert.StartsWith("GET /api/health HTTP/1.1\r\n", request);
        Assert.Contains($"\r\nHost: 127.0.0.1:{server.Port}\r\n", request);
        Assert.Contains("\r\nConnection: close\r\n", request);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task AnErrorStatusIsAFailureButTheConnectStillCounts()
    {
        await using var server = new HealthServer(500);
        var candidate = HttpCandidate(server.Port);
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.False(result.Success);
        Assert.Equal(500, result.Status);
        Assert.Equal($"health check http://127.0.0.1:{server.Port}/api/health answered 500", result.Error);
        var health = candidate.Health.Snapshot(0);
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Equal(result.Error, health.LastError);
        Assert.NotNull(health.ConnectMs);
        Assert.Null(health.RttMs);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeoutIsAFailure()
    {
        await using var server = new HealthServer { Silent = true };
        var candidate = HttpCandidate(server.Port);
        await using var prober = Prober(timeoutMs: 200);

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.False(result.Success);
        Assert.Equal($"health check http://127.0.0.1:{server.Port}/api/health: no answer within 200 ms", result.Error);
        Assert.Equal(1, candidate.Health.ConsecutiveFailures);
        await Eventually.WaitAsync(() => server.ClosedByPeer == 1, "the probe connection to be closed");
    }

    [Fact]
    public async Task ARefusedConnectIsAFailure()
    {
        int port = HealthServer.ClosedPort();
        var candidate = HttpCandidate(port);
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.False(result.Success);
        Assert.Equal($"connect to 127.0.0.1:{port} failed: connection refused", result.Error);
        Assert.Null(candidate.Health.Snapshot(0).ConnectMs);
        Assert.Equal(1, candidate.Health.ConsecutiveFailures);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", "malformed status line")]
    [InlineData("HTTP/1.1 200", "closed within the status line")]
    [InlineData("", "closed without an answer")]
    public async Task ABrokenAnswerIsAFailure(string answer, string reason)
    {
        await using var server = new HealthServer { RawAnswer = answer };
        var candidate = HttpCandidate(server.Port);
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.False(result.Success);
        Assert.Equal($"health check http://127.0.0.1:{server.Port}/api/health: {reason}", result.Error);
    }

    [Fact]
    public async Task AnEndlessStatusLineIsCutOff()
    {
        await using var server = new HealthServer { RawAnswer = "HTTP/1.1 200 " + new string('x', 100_000) };
        var candidate = HttpCandidate(server.Port);
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.Equal($"health check http://127.0.0.1:{server.Port}/api/health: status line longer than 512 bytes", result.Error);
    }

    [Fact]
    public async Task AnRtmpCandidateWithoutAHealthUrlIsProbedByConnectAlone()
    {
        await using var server = new HealthServer(500);
        var candidate = Candidate($"rtmp://127.0.0.1:{server.Port}/live");
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.True(result.Success, result.Error);
        Assert.Null(result.RttMs);
        Assert.NotNull(candidate.Health.Snapshot(0).ConnectMs);
        Assert.Null(candidate.Health.Snapshot(0).RttMs);
        await Eventually.WaitAsync(() => server.Accepted == 1, "the connect to arrive");
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AHealthUrlOnAnotherPortIsAskedOverItsOwnConnection()
    {
        await using var rtmp = new HealthServer(500);
        await using var health = new HealthServer(204);
        var candidate = Candidate($"rtmp://127.0.0.1:{rtmp.Port}/live", $"http://localhost:{health.Port}/status?deep=1");
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.True(result.Success, result.Error);
        Assert.Equal(204, result.Status);
        Assert.True(health.Requests.TryDequeue(out var request));
        Assert.StartsWith("GET /status?deep=1 HTTP/1.1\r\n", request);
        Assert.Contains($"\r\nHost: localhost:{health.Port}\r\n", request);
        Assert.Empty(rtmp.Requests);
    }

    [Fact]
    public async Task AHealthUrlElsewhereThatRefusesIsAFailureButTheCandidateConnectCounts()
    {
        await using var rtmp = new HealthServer(500);
        int closed = HealthServer.ClosedPort();
        var candidate = Candidate($"rtmp://127.0.0.1:{rtmp.Port}/live", $"http://127.0.0.1:{closed}/health");
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.False(result.Success);
        Assert.Equal($"health check http://127.0.0.1:{closed}/health failed: connection refused", result.Error);
        Assert.NotNull(result.ConnectMs);
    }

    [Fact]
    public async Task AHealthConnectionResetBeforeTheAnswerIsAFailure()
    {
        await using var server = new HealthServer { Reset = true };
        var candidate = HttpCandidate(server.Port);
        await using var prober = Prober();

        var result = await prober.ProbeAsync(candidate, Eventually.Deadline());

        Assert.False(result.Success);
        Assert.Equal($"health check http://127.0.0.1:{server.Port}/api/health failed: connection reset", result.Error);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task TheLoopProbesEveryCandidateAndTheFiguresMoveAccordingly()
    {
        await using var ok = new HealthServer(200);
        await using var failing = new HealthServer(500);
        await using var silent = new HealthServer { Silent = true };
        var good = HttpCandidate(ok.Port);
        var erroring = HttpCandidate(failing.Port);
        var hanging = HttpCandidate(silent.Port);
        var refused = HttpCandidate(HealthServer.ClosedPort());
        await using var prober = Prober(timeoutMs: 300, intervalMs: 20, good, erroring, hanging, refused);

        prober.Start();

        await Eventually.WaitAsync(() => erroring.Health.IsDown(Environment.TickCount64), "the erroring candidate to be down");
        await Eventually.WaitAsync(() => refused.Health.IsDown(Environment.TickCount64), "the refused candidate to be down");
        await Eventually.WaitAsync(() => hanging.Health.ConsecutiveFailures >= 1, "the silent candidate to time out");
        long now = Environment.TickCount64;
        Assert.False(good.Health.IsDown(now));
        Assert.NotNull(good.Health.Snapshot(now).RttMs);
        Assert.Equal(0, good.Health.ConsecutiveFailures);
        Assert.True(good.Health.Cost(now) < erroring.Health.Cost(now));
        Assert.True(good.Health.Cost(now) < hanging.Health.Cost(now));
        Assert.True(good.Health.Cost(now) < refused.Health.Cost(now));
        Assert.True(ok.Accepted >= 3, "the healthy candidate is probed every round");
    }

    [Fact]
    public async Task ProbesOfOneCandidateNeverOverlap()
    {
        await using var silent = new HealthServer { Silent = true };
        var hanging = HttpCandidate(silent.Port);
        await using var prober = Prober(timeoutMs: 400, intervalMs: 10, hanging);

        prober.Start();
        await Eventually.WaitAsync(() => hanging.Health.ConsecutiveFailures >= 1, "the first probe to time out");

        // Some 40 rounds passed during the first probe; at most the one that followed it has connected since.
        Assert.InRange(silent.Accepted, 1, 2);
    }

    [Fact]
    public async Task ADownCandidateWaitsOutItsRetryDelayThenGetsOneProbe()
    {
        var clock = new ManualMonotonicClock();
        await using var failing = new HealthServer(503);
        var candidate = Candidate($"http://127.0.0.1:{failing.Port}/{{stream}}.flv", clock: clock.Read);
        var targets = new CountedTargets(candidate);
        await using var prober = new CandidateProber(targets.Get, new ProberOptions { IntervalMs = 10 }, clock: clock.Read);

        prober.Start();
        await Eventually.WaitAsync(() => candidate.Health.IsDown(clock.NowMs), "the candidate to be down");
        int rounds = targets.Rounds;
        await Eventually.WaitAsync(() => targets.Rounds >= rounds + 5, "five more rounds");
        Assert.Equal(3, failing.Requests.Count);

        clock.Advance(10_000);
        await Eventually.WaitAsync(() => failing.Requests.Count == 4, "the half-open probe");
        await Eventually.WaitAsync(() => candidate.Health.ConsecutiveFailures == 4, "its failure to be recorded");
        Assert.Equal(20_000, candidate.Health.Snapshot(clock.NowMs).RetryInMs);
    }

    [Fact]
    public async Task ASuccessfulProbeBringsADownCandidateBack()
    {
        var clock = new ManualMonotonicClock();
        await using var server = new HealthServer(503);
        var candidate = Candidate($"http://127.0.0.1:{server.Port}/{{stream}}.flv", clock: clock.Read);
        await using var prober = new CandidateProber(() => [candidate], new ProberOptions { IntervalMs = 10 }, clock: clock.Read);
        prober.Start();
        await Eventually.WaitAsync(() => candidate.Health.IsDown(clock.NowMs), "the candidate to be down");

        server.Status = 200;
        clock.Advance(10_000);

        await Eventually.WaitAsync(() => candidate.Health.ConsecutiveFailures == 0, "the candidate to answer again");
        Assert.False(candidate.Health.IsDown(clock.NowMs));
    }

    [Fact]
    public async Task CandidatesAddedLaterAreProbed()
    {
        await using var ok = new HealthServer(200);
        var targets = new CountedTargets();
        await using var prober = new CandidateProber(targets.Get, new ProberOptions { IntervalMs = 10 });
        prober.Start();
        await Eventually.WaitAsync(() => targets.Rounds >= 2, "two empty rounds");

        var candidate = HttpCandidate(ok.Port);
        targets.Add(candidate);

        await Eventually.WaitAsync(() => candidate.Health.Snapshot(0).RttMs is not null, "the new candidate to be probed");
    }

    [Fact]
    public async Task DisposeStopsTheLoopAndAbandonsProbesInFlight()
    {
        await using var silent = new HealthServer { Silent = true };
        var hanging = HttpCandidate(silent.Port);
        var targets = new CountedTargets(hanging);
        var prober = new CandidateProber(targets.Get, new ProberOptions { TimeoutMs = 30_000, IntervalMs = 10 });
        prober.Start();
        await Eventually.WaitAsync(() => silent.Requests.Count == 1, "the probe to be waiting for its answer");

        var dispose = prober.DisposeAsync().AsTask();

        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(Eventually.Timeout)));
        await dispose;
        await Eventually.WaitAsync(() => silent.ClosedByPeer == 1, "the abandoned connection to be closed");
        Assert.Equal(0, hanging.Health.ConsecutiveFailures);
        int rounds = targets.Rounds;
        await Task.Delay(50);
        Assert.Equal(rounds, targets.Rounds);
        Assert.Throws<ObjectDisposedException>(prober.Start);
        await prober.DisposeAsync();
    }

    /// <summary>The candidates a prober asks for at the start of every round, counting the rounds.</summary>
    private sealed class CountedTargets(params RouteCandidate[] candidates)
    {
        private readonly Lock _lock = new();
        private readonly List<RouteCandidate> _candidates = [.. candidates];
        private int _rounds;

        public int Rounds => Volatile.Read(ref _rounds);

        public void Add(RouteCandidate candidate)
        {
            lock (_lock)
            {
                _candidates.Add(candidate);
            }
        }

        public IReadOnlyList<RouteCandidate> Get()
        {
            Interlocked.Increment(ref _rounds);
            lock (_lock)
            {
                return [.. _candidates];
            }
        }
    }
}
