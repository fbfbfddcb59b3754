using Appliance.Live.Relay.Directory;
using Appliance.Live.Tests.Relay.Routing;

namespace Appliance.Live.Tests.Relay.Directory;

public sealed class LogThrottleTests
{
    [Fact]
    public void One_line_per_interval_gets_through_and_it_counts_the_lines_held_back()
    {
        var clock = new ManualMonotonicClock();
        var throttle = new LogThrottle(60_000, clock.Read);

        Assert.True(throttle.ShouldLog(out var first));
        clock.Advance(1_000);
        Assert.False(throttle.ShouldLog(out _));
        Assert.False(throttle.ShouldLog(out _));
        clock.Advance(59_000);
        Assert.True(throttle.ShouldLog(out var later));

        Assert.Equal(0, first);
        Assert.Equal(2, later);
    }

    [Fact]
    public void After_a_reset_the_next_failure_is_logged_at_once()
    {
        var clock = new ManualMonotonicClock();
        var throttle = new LogThrottle(60_000, clock.Read);
        Assert.True(throttle.ShouldLog(out _));
        Assert.False(throttle.ShouldLog(out _));

        throttle.Reset();

        Assert.True(throttle.ShouldLog(out var suppressed));
        Assert.Equal(0, suppressed);
    }
}
