using Appliance.Streaming.Fanout;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>The rule of adaptive batching, on a clock the test moves.</summary>
public class AdaptiveFlushTests
{
    private readonly ManualFlushScheduler _scheduler = new();
    private int _flushes;

    private AdaptiveFlush NewRule() => new(() => _flushes++, _scheduler, () => _scheduler.NowMs);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(9, 0)]
    [InlineData(10, 1)]
    [InlineData(100, 10)]
    [InlineData(550, 55)]
    [InlineData(1000, 100)]
    [InlineData(20000, 100)]
    public void TheIntervalGrowsWithTheViewersUpTo100Ms(int viewers, int intervalMs) =>
        Assert.Equal(intervalMs, AdaptiveFlush.IntervalMs(viewers));

    [Fact]
    public void ALoneViewerIsWokenForEveryFrameEvenWithinTheSameMillisecond()
    {
        var rule = NewRule();
        _scheduler.NowMs = 5000;

        for (var i = 0; i < 10; i++)
        {
            Assert.True(rule.OnAppend(1));
        }

        Assert.Equal(0, _scheduler.Scheduled);
        Assert.Equal((10L, 0L), (rule.ImmediateWakes, rule.DeferredWakes));
    }

    [Fact]
    public void ManyViewersGetTheFramesOfAnIntervalInOneDeferredWake()
    {
        var rule = NewRule();
        _scheduler.NowMs = 1000;
        Assert.True(rule.OnAppend(1000));

        // Frames within 100 ms of that wake wait for one flush at its end.
        foreach (var at in new long[] { 1010, 1040, 1070, 1099 })
        {
            _scheduler.NowMs = at;
            Assert.False(rule.OnAppend(1000));
        }
        Assert.Equal([1100L], _scheduler.Deadlines);
        Assert.Equal(1, _scheduler.RunDue());

        Assert.Equal(1, _flushes);
        Assert.True(rule.TakeDue());
        Assert.False(rule.TakeDue());
        Assert.Equal((1L, 1L), (rule.ImmediateWakes, rule.DeferredWakes));
    }

    [Fact]
    public void TheNextIntervalCountsFromTheDeferredWake()
    {
        var rule = NewRule();
        _scheduler.NowMs = 0;
        rule.OnAppend(200);
        _scheduler.NowMs = 5;
        rule.OnAppend(200);
        Assert.Equal([20L], _scheduler.Deadlines);
        _scheduler.NowMs = 23; // the scheduler ran late
        Assert.Equal(1, _scheduler.RunDue());
        Assert.True(rule.TakeDue());

        _scheduler.NowMs = 30;
        Assert.False(rule.OnAppend(200));

        Assert.Equal([43L], _scheduler.Deadlines);
    }

    [Fact]
    public void AFrameAfterAQuietSpellGoesAtOnce()
    {
        var rule = NewRule();
        _scheduler.NowMs = 0;
        Assert.True(rule.OnAppend(1000));
        _scheduler.NowMs = 100;

        Assert.True(rule.OnAppend(1000));
        Assert.Equal(0, _scheduler.Scheduled);
    }

    [Fact]
    public void AFlushThatWasNotScheduledWakesNobody()
    {
        var rule = NewRule();

        Assert.False(rule.TakeDue());
        Assert.Equal(0L, rule.DeferredWakes);
    }
}
