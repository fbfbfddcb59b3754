using Appliance.Streaming.Logging;
using Appliance.Tests.Support;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Tests.Logging;

/// <summary>The rate-limited log: the first line in full, the rest counted, one count line per interval.</summary>
public sealed class RepeatedLogTests
{
    private readonly LogCollector _logs = new();
    private readonly ManualMonotonicClock _clock = new();

    [Fact]
    public void The_first_occurrence_is_written_the_rest_are_counted_and_the_count_comes_after_the_interval()
    {
        var log = Make(LogLevel.Warning);

        var first = log.ShouldLog();
        var during = Enumerable.Range(0, 148).Select(_ => { _clock.Advance(33); return log.ShouldLog(); }).ToList();
        var linesDuring = _logs.Lines.Count;
        _clock.NowMs += 5_000 - (148 * 33);
        var closing = log.ShouldLog();

        Assert.True(first);
        Assert.All(during, Assert.False);
        Assert.Equal(0, linesDuring);
        Assert.False(closing);
        var line = Assert.Single(_logs.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("stream default/live/cam: video frames left out of TS: repeated 149 more times in the last 5.0 s", line.Message);
    }

    [Fact]
    public void A_continuing_fault_writes_one_count_line_per_interval_and_nothing_in_full_again()
    {
        var log = Make(LogLevel.Information);
        var written = 0;

        // 30 a second for 20 s.
        for (var i = 0; i < 600; i++)
        {
            written += log.ShouldLog() ? 1 : 0;
            _clock.Advance(33);
        }

        Assert.Equal(1, written);
        Assert.Equal(3, _logs.Lines.Count);
        Assert.All(_logs.Lines, l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.All(_logs.Lines, l => Assert.Matches(@"^stream default/live/cam: video frames left out of TS: repeated 15\d more times in the last 5\.0 s$", l.Message));
    }

    [Fact]
    public void After_a_quiet_interval_the_next_occurrence_is_written_in_full_again()
    {
        var log = Make(LogLevel.Warning);
        Assert.True(log.ShouldLog());

        _clock.Advance(5_000);

        Assert.True(log.ShouldLog());
        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public void Flush_writes_the_count_not_yet_reported_and_the_next_occurrence_is_written_in_full()
    {
        var log = Make(LogLevel.Warning);
        log.ShouldLog();
        _clock.Advance(1_000);
        log.ShouldLog();
        log.ShouldLog();

        log.Flush();
        log.Flush();
        var next = log.ShouldLog();

        Assert.Equal("stream default/live/cam: video frames left out of TS: repeated 2 more times in the last 1.0 s", Assert.Single(_logs.Lines).Message);
        Assert.True(next);
    }

    [Fact]
    public void Flush_without_repeats_writes_nothing()
    {
        var log = Make(LogLevel.Warning);
        log.ShouldLog();

        log.Flush();

        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public void An_occurrence_that_is_only_counted_allocates_nothing()
    {
        var log = Make(LogLevel.Warning);
        log.ShouldLog();
        log.ShouldLog();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            log.ShouldLog();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Occurrences_from_many_threads_give_one_full_line_and_every_other_one_is_counted()
    {
        var log = new RepeatedLog(_logs.CreateLogger("test"), LogLevel.Warning, "stream default/live/cam", "video frames left out of TS", clock: () => 0);
        var full = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (log.ShouldLog())
                {
                    Interlocked.Increment(ref full);
                }
            }
        })));
        log.Flush();

        Assert.Equal(1, full);
        Assert.Equal("stream default/live/cam: video frames left out of TS: repeated 79999 more times in the last 0.0 s", Assert.Single(_logs.Lines).Message);
    }

    private RepeatedLog Make(LogLevel level) =>
        new(_logs.CreateLogger("test"), level, "stream default/live/cam", "video frames left out of TS", 5_000, _clock.Read);
}
