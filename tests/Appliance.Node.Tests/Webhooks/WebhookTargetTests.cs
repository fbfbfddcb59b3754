using System.Collections.Concurrent;
using Appliance.Node.Webhooks;

namespace Appliance.Node.Tests.Webhooks;

/// <summary>One URL's queue: order per stream, the bound, the retry schedule, and that enqueueing never waits.</summary>
public sealed class WebhookTargetTests : IAsyncDisposable
{
    private readonly ScriptedTransport _backend = new();
    private readonly WebhookCounters _counters = new();
    private readonly LogCollector _logs = new();
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private readonly TaskCompletionSource<WebhookAnswer> _never = new();
    private readonly List<WebhookTarget> _targets = [];
    private long _nowMs = 1_000_000;

    private WebhookTarget Target(WebhookTargetSettings settings)
    {
        var target = new WebhookTarget(settings, _backend, _counters, _logs.CreateLogger("webhooks"),
            delay: (wait, _) =>
            {
                _waits.Enqueue(wait);
                return Task.CompletedTask;
            },
            clock: () => Interlocked.Read(ref _nowMs));
        _targets.Add(target);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var target in _targets)
        {
            await target.DisposeAsync();
        }
    }

    [Fact]
    public async Task Events_of_one_stream_arrive_in_order_and_a_retry_holds_back_the_ones_behind_it()
    {
        var failedOnce = 0;
        _backend.Answer = a => Task.FromResult(new WebhookAnswer(a.Event == "publish" && Interlocked.Exchange(ref failedOnce, 1) == 0 ? 500 : 204));
        var target = Target(Events.Settings());

        foreach (var name in new[] { "publish", "play", "stop", "unpublish" })
        {
            Assert.True(target.TryEnqueue(Events.Of(name)));
        }
        await Eventually.WaitAsync(() => _counters.Delivered == 4, "four events delivered");

        Assert.Equal(["publish", "publish", "play", "stop", "unpublish"], _backend.Attempts.Select(a => a.Json.GetProperty("event").GetString()));
        Assert.Equal(1, _counters.Retries);
        Assert.Equal(0, target.Pending);
    }

    [Fact]
    public async Task Retries_wait_by_the_doubling_schedule_up_to_its_cap_then_the_event_is_given_up()
    {
        _backend.Answer = _ => Task.FromResult(new WebhookAnswer(503));
        var target = Target(Events.Settings(retries: 5, retryMs: 100, maxRetryMs: 1000));

        target.TryEnqueue(Events.Of("publish"));
        await Eventually.WaitAsync(() => _counters.Failed == 1, "the event given up");

        Assert.Equal([100, 200, 400, 800, 1000], _waits.Select(w => w.TotalMilliseconds));
        Assert.Equal(6, _backend.Attempts.Count);
        Assert.Equal(5, _counters.Retries);
        Assert.Equal(0, _counters.Delivered);
        Assert.True(_logs.Contains("webhook http://127.0.0.1:9/hooks: publish event of default/live/cam given up after 6 attempt(s): HTTP 503"), _logs.Dump());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(0)]
    public async Task Server_errors_timeouts_and_no_connection_are_retried(int status)
    {
        var attempts = 0;
        _backend.Answer = _ => Task.FromResult(Interlocked.Increment(ref attempts) == 1 ? new WebhookAnswer(status, "connection refused") : new WebhookAnswer(200));
        var target = Target(Events.Settings());

        target.TryEnqueue(Events.Of("play"));
        await Eventually.WaitAsync(() => _counters.Delivered == 1, "delivered on the retry");

        Assert.Equal(2, _backend.Attempts.Count);
        Assert.Equal(0, _counters.Failed);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(302)]
    public async Task An_answer_that_would_be_the_same_again_is_given_up_without_retrying(int status)
    {
        _backend.Answer = _ => Task.FromResult(new WebhookAnswer(status));
        var target = Target(Events.Settings(retries: 3));

        target.TryEnqueue(Events.Of("play"));
        await Eventually.WaitAsync(() => _counters.Failed == 1, "the event given up");

        Assert.Single(_backend.Attempts);
        Assert.Empty(_waits);
        Assert.True(_logs.Contains($"given up after 1 attempt(s): HTTP {status}"), _logs.Dump());
    }

    [Fact]
    public void A_full_queue_drops_at_once_counts_every_drop_and_logs_one_line_per_interval()
    {
        _backend.Answer = _ => _never.Task;
        var target = Target(Events.Settings(queueSize: 3));

        var accepted = Enumerable.Range(0, 10).Select(i => target.TryEnqueue(Events.Of("play", $"s{i}"))).ToList();

        Assert.Equal([true, true, true, false, false, false, false, false, false, false], accepted);
        Assert.Equal(7, _counters.Dropped);
        Assert.Equal(3, target.Pending);
        var full = _logs.Lines.Where(l => l.Message.Contains("queue full", StringComparison.Ordinal)).ToList();
        Assert.Single(full);
        Assert.Equal("webhook http://127.0.0.1:9/hooks: queue full at 3 events, play event of default/live/s3 dropped", full[0].Message);

        Interlocked.Add(ref _nowMs, 6_000);
        Assert.False(target.TryEnqueue(Events.Of("play", "late")));

        Assert.True(_logs.Contains("webhook http://127.0.0.1:9/hooks: events dropped, queue full: repeated 7 more times in the last 6.0 s"), _logs.Dump());
    }

    [Fact]
    public async Task Enqueueing_never_waits_for_a_backend_that_does_not_answer()
    {
        _backend.Answer = _ => _never.Task;
        var target = Target(Events.Settings(queueSize: 1000));

        // Synchronous all the way: on a thread of its own, it must finish while the backend hangs.
        var enqueue = Task.Run(() => Enumerable.Range(0, 100_000).Count(i => target.TryEnqueue(Events.Of("play", $"s{i % 50}"))));
        var accepted = await enqueue.WaitAsync(Eventually.Timeout);

        Assert.Equal(1000, accepted);
        Assert.Equal(99_000, _counters.Dropped);
        // One request in flight per lane, the rest waiting behind them.
        await Eventually.WaitAsync(() => _backend.Attempts.Count == WebhookTarget.Lanes, "an attempt under way in every lane");
        Assert.Equal(1000, target.Pending);
    }

    [Fact]
    public async Task A_stream_stuck_on_its_backend_does_not_hold_back_the_streams_of_other_lanes()
    {
        var other = Events.OnAnotherLane("cam");
        _backend.Answer = a => a.Stream == "cam" ? _never.Task : Task.FromResult(new WebhookAnswer(200));
        var target = Target(Events.Settings());

        target.TryEnqueue(Events.Of("publish", "cam"));
        target.TryEnqueue(Events.Of("play", "cam"));
        target.TryEnqueue(Events.Of("publish", other));
        await Eventually.WaitAsync(() => _counters.Delivered == 1, "the other stream's event delivered");

        Assert.Equal(other, _backend.Attempts.Single(a => a.Event == "publish" && a.Stream != "cam").Stream);
        Assert.DoesNotContain(_backend.Attempts, a => a.Event == "play");
        Assert.Equal(2, target.Pending);
    }

    [Fact]
    public async Task Stopping_gives_a_hung_backend_the_grace_then_abandons_and_takes_nothing_more()
    {
        _backend.Answer = _ => _never.Task;
        var target = Target(Events.Settings());
        target.TryEnqueue(Events.Of("publish"));
        await Eventually.WaitAsync(() => _backend.Attempts.Count == 1, "the attempt under way");

        await target.StopAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(Eventually.Timeout);

        Assert.False(target.TryEnqueue(Events.Of("unpublish")));
        Assert.Equal(0, _counters.Dropped);
    }
}
