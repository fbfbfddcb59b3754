using System.Net;
using Appliance.Node.Config;
using Appliance.Node.Sessions;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Sessions;

/// <summary>
/// HLS players as sessions, on a clock the test moves: who is one player, how long a session
/// lives without requests, the stream's viewer limit, the table's bound, kicks and stream ends,
/// and the one access line each session writes.
/// </summary>
public sealed class HlsSessionTableTests : IDisposable
{
    private static readonly IPAddress Alice = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress Bob = IPAddress.Parse("198.51.100.8");
    private const string Safari = "AppleCoreMedia/1.0.0 (iPhone)";
    private const string Vlc = "VLC/3.0.20 LibVLC/3.0.20";

    private readonly ManualMonotonicClock _clock = new();
    private readonly LogCollector _logs = new();
    private readonly LoggerFactory _loggers;
    private readonly AccessLog _accessLog;
    private readonly HlsSessionTable _table;
    private readonly StreamRegistry _streams = new(new FrameSerializer(4096));
    private readonly List<(HlsSession Session, string Reason)> _ended = [];
    private readonly List<HlsSession> _started = [];

    public HlsSessionTableTests()
    {
        _loggers = new LoggerFactory([_logs]);
        _accessLog = new AccessLog("", _loggers.CreateLogger("access"));
        _table = new HlsSessionTable(_accessLog, _clock.Read);
        _table.Started += _started.Add;
        _table.Ended += (session, reason) => _ended.Add((session, reason));
    }

    [Fact]
    public void Requests_from_one_address_with_one_user_agent_are_one_session_and_one_viewer()
    {
        var stream = Publish("cam");

        var first = Admit(stream, Alice, Safari);
        _clock.Advance(2_000);
        var again = Admit(stream, Alice, Safari);
        var otherAgent = Admit(stream, Alice, Vlc);
        var otherAddress = Admit(stream, Bob, Safari);
        var noAgent = Admit(stream, Bob, null);

        Assert.Same(first, again);
        Assert.Equal(4, new[] { first, otherAgent, otherAddress, noAgent }.Select(s => s.Id).Distinct().Count());
        Assert.Equal(new ViewerCounts(0, 0, 0, 4), stream.CountViewers());
        Assert.Equal(4, _table.Count);
        Assert.Equal(4, _started.Count);
        Assert.Equal("198.51.100.7", first.Client);
        Assert.Equal("default/live/cam", first.StreamPath);
    }

    [Fact]
    public void The_same_player_of_two_streams_is_two_sessions()
    {
        var cam = Publish("cam");
        var studio = Publish("studio");

        var one = Admit(cam, Alice, Safari);
        var two = Admit(studio, Alice, Safari);

        Assert.NotEqual(one.Id, two.Id);
        Assert.Equal(1, cam.CountViewers().Hls);
        Assert.Equal(1, studio.CountViewers().Hls);
    }

    [Theory]
    [InlineData(1_000, 10_000)]
    [InlineData(2_000, 10_000)]
    [InlineData(4_000, 12_000)]
    [InlineData(6_000, 18_000)]
    public void The_window_is_three_target_durations_and_at_least_ten_seconds(int targetDurationMs, long windowMs)
    {
        var app = new AppConfig { Name = "live" };
        app.Hls.TargetDurationMs = targetDurationMs;

        Assert.Equal(windowMs, HlsSessionTable.WindowOf(app));
    }

    [Fact]
    public void A_session_lives_while_requests_come_within_its_window_and_ends_one_window_after_the_last()
    {
        var stream = Publish("cam");
        var session = Admit(stream, Alice, Safari);
        session.AddResponse(200, 700);
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(9_000);
            _table.Sweep();
            Assert.Same(session, Admit(stream, Alice, Safari));
            session.AddResponse(200, 100_000);
        }
        var lastRequest = _clock.NowMs;

        _clock.Advance(10_000);
        _table.Sweep();
        var stillOpen = _table.Count;
        _clock.Advance(1);
        _table.Sweep();
        _table.Sweep();

        Assert.Equal(1, stillOpen);
        Assert.Equal(0, _table.Count);
        Assert.Equal(0, stream.CountViewers().Hls);
        var (ended, reason) = Assert.Single(_ended);
        Assert.Same(session, ended);
        Assert.Equal("no request for 10000 ms", reason);
        Assert.Equal(lastRequest, session.LastRequestMs);
        // One line: the bytes of every response, from the first request to the last (45 s).
        var line = Assert.Single(AccessLines());
        Assert.Equal("access proto=hls client=198.51.100.7 stream=default/live/cam status=200 in=0 out=500700 duration=45.0s reason=\"no request for 10000 ms\"", line);
    }

    [Fact]
    public void A_player_that_comes_back_after_its_session_ended_is_a_new_session()
    {
        var stream = Publish("cam");
        var first = Admit(stream, Alice, Safari);
        _clock.Advance(10_001);
        _table.Sweep();

        var second = Admit(stream, Alice, Safari);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, stream.CountViewers().Hls);
        Assert.Single(AccessLines());
    }

    [Fact]
    public void Past_the_streams_viewer_limit_a_new_player_is_refused_and_the_known_one_goes_on()
    {
        var stream = Publish("cam", maxViewers: 1);
        var first = Admit(stream, Alice, Safari);

        var refused = _table.Admit(stream, Bob, Vlc, 0, 0, out var none);
        _clock.Advance(5_000);
        var known = _table.Admit(stream, Alice, Safari, 0, 0, out var same);

        Assert.Equal(HlsAdmission.StreamFull, refused);
        Assert.Null(none);
        Assert.Equal(HlsAdmission.Counted, known);
        Assert.Same(first, same);
        Assert.Equal(1, stream.CountViewers().Total);
        // The limit covers every protocol: the HLS player fills the stream for the others too.
        Assert.True(stream.IsFull);
    }

    [Fact]
    public void A_flood_of_user_agents_stops_at_the_table_bound_and_the_bound_frees_as_sessions_expire()
    {
        var stream = Publish("cam");
        var admitted = Enumerable.Range(0, 3).Select(i => _table.Admit(stream, Alice, $"agent {i}", 3, 0, out _)).ToList();

        var refused = Enumerable.Range(3, 1000).Select(i => _table.Admit(stream, Bob, $"agent {i}", 3, 0, out _)).Distinct().ToList();
        var known = _table.Admit(stream, Alice, "agent 1", 3, 0, out _);
        _clock.Advance(10_001);
        _table.Sweep();
        var afterExpiry = _table.Admit(stream, Bob, "agent 5000", 3, 0, out _);

        Assert.All(admitted, a => Assert.Equal(HlsAdmission.Counted, a));
        Assert.Equal(new[] { HlsAdmission.TableFull }, refused);
        Assert.Equal(HlsAdmission.Counted, known);
        Assert.Equal(HlsAdmission.Counted, afterExpiry);
        Assert.Equal(1, _table.Count);
        Assert.Equal(3, AccessLines().Count);
    }

    [Fact]
    public void One_address_holds_at_most_the_per_address_bound_and_others_are_not_held_back()
    {
        var stream = Publish("cam");
        _table.Admit(stream, Alice, "agent 0", 0, 2, out _);
        _table.Admit(stream, Alice, "agent 1", 0, 2, out _);

        var third = _table.Admit(stream, Alice, "agent 2", 0, 2, out _);
        var other = _table.Admit(stream, Bob, "agent 2", 0, 2, out _);

        Assert.Equal(HlsAdmission.AddressFull, third);
        Assert.Equal(HlsAdmission.Counted, other);
        Assert.Equal(3, stream.CountViewers().Hls);
    }

    [Fact]
    public void A_kicked_player_is_refused_while_it_keeps_asking_and_admitted_again_after_a_quiet_window()
    {
        var stream = Publish("cam");
        var session = Admit(stream, Alice, Safari);
        session.AddResponse(200, 1234);

        var kicked = _table.Kick(session.Id, "kicked by the operator");
        var kickedAgain = _table.Kick(session.Id, "kicked by the operator");
        var refusals = new List<HlsAdmission>();
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(8_000);
            _table.Sweep();
            refusals.Add(_table.Admit(stream, Alice, Safari, 0, 0, out _));
        }
        var neighbour = _table.Admit(stream, Alice, Vlc, 0, 0, out _);
        _clock.Advance(10_001);
        _table.Sweep();
        var back = Admit(stream, Alice, Safari);

        Assert.Same(session, kicked);
        Assert.Null(kickedAgain);
        Assert.All(refusals, r => Assert.Equal(HlsAdmission.Kicked, r));
        Assert.Equal(HlsAdmission.Counted, neighbour);
        Assert.NotEqual(session.Id, back.Id);
        // The neighbour stopped asking with the refusals, so only the player that came back is left.
        Assert.Equal(1, stream.CountViewers().Hls);
        Assert.Contains(AccessLines(), l => l.Contains("out=1234 ", StringComparison.Ordinal) && l.EndsWith("reason=\"kicked by the operator\"", StringComparison.Ordinal));
        Assert.Equal(session, _ended.Single(e => e.Reason == "kicked by the operator").Session);
    }

    [Fact]
    public void When_the_stream_ends_its_sessions_end_and_its_last_segments_are_served_uncounted()
    {
        var stream = Publish("cam");
        Admit(stream, Alice, Safari);
        Admit(stream, Bob, Safari);

        stream.End();
        _table.Sweep();
        var late = _table.Admit(stream, IPAddress.Loopback, Safari, 0, 0, out var none);

        Assert.Equal(2, _ended.Count);
        Assert.All(_ended, e => Assert.Equal("stream ended", e.Reason));
        Assert.Equal(HlsAdmission.Uncounted, late);
        Assert.Null(none);
        Assert.Equal(0, _table.Count);
    }

    [Fact]
    public void A_stream_published_again_under_the_same_name_starts_new_sessions()
    {
        var first = Publish("cam");
        var old = Admit(first, Alice, Safari);
        first.End();

        var second = Publish("cam");
        var fresh = Admit(second, Alice, Safari);

        Assert.NotEqual(old.Id, fresh.Id);
        Assert.Equal("stream ended", Assert.Single(_ended).Reason);
        Assert.Equal(1, second.CountViewers().Hls);
        Assert.Equal(1, _table.Count);
    }

    [Fact]
    public void Ending_sessions_by_stream_ends_only_those()
    {
        var cam = Publish("cam");
        var studio = Publish("studio");
        Admit(cam, Alice, Safari);
        Admit(cam, Bob, Safari);
        var kept = Admit(studio, Alice, Safari);

        var ended = _table.EndWhere(s => s.StreamPath == "default/live/cam", "stream dropped by the operator");

        Assert.Equal(2, ended);
        Assert.Equal(kept, Assert.Single(_table.Sessions));
        Assert.Equal(0, cam.CountViewers().Hls);
        Assert.Equal(2, AccessLines().Count(l => l.EndsWith("reason=\"stream dropped by the operator\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_request_of_a_known_session_allocates_nothing()
    {
        var stream = Publish("cam");
        var session = Admit(stream, Alice, Safari);
        for (var i = 0; i < 100; i++)
        {
            // Warm up: the first calls of a method may allocate in the runtime, not in it.
            _table.Admit(stream, Alice, Safari, 0, 0, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            _clock.Advance(1);
            _table.Admit(stream, Alice, Safari, 0, 0, out var same);
            same!.AddResponse(200, 1);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_000, session.BytesOut);
    }

    private HlsSession Admit(LiveStream stream, IPAddress address, string? agent)
    {
        Assert.Equal(HlsAdmission.Counted, _table.Admit(stream, address, agent, 0, 0, out var session));
        return session!;
    }

    private LiveStream Publish(string name, int maxViewers = 0)
    {
        var app = new AppConfig { Name = "live", MaxViewersPerStream = maxViewers, PublisherGraceMs = 0 };
        Assert.Equal(PublishOutcome.Started, _streams.TryPublish(new StreamKey("default", "live", name), app, new TestSource(), out var stream));
        return stream;
    }

    private List<string> AccessLines() =>
        [.. _logs.Lines.Where(l => l.Category == "access").Select(l => l.Message)];

    public void Dispose()
    {
        _accessLog.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _loggers.Dispose();
    }
}
