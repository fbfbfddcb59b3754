using Appliance.Relay.Routing;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

/// <summary>The averages behind candidate health: plain (throughput, carry) and peak (latency).</summary>
public sealed class EwmaStateTests
{
    [Fact]
    public void A_plain_average_moves_towards_each_sample_by_elapsed_time_in_both_directions()
    {
        var ewma = new EwmaState();
        Assert.False(ewma.HasValue);

        ewma.Record(100, 0, 5_000, peak: false);
        ewma.Record(200, 5_000, 5_000, peak: false);
        Assert.Equal(163.21205588285576, ewma.Value, 12);
        Assert.Equal(5_000, ewma.LastMs);

        ewma.Record(0, 10_000, 5_000, peak: false);
        Assert.Equal(163.21205588285576 * Math.Exp(-1), ewma.Value, 12);
    }

    [Fact]
    public void No_time_passed_means_no_change()
    {
        var ewma = new EwmaState();
        ewma.Record(100, 10, 5_000, peak: false);

        ewma.Record(0, 10, 5_000, peak: false);
        ewma.Record(0, 9, 5_000, peak: false);

        Assert.Equal(100, ewma.Value);
    }

    [Fact]
    public void The_first_sample_is_the_value()
    {
        var ewma = new EwmaState();

        ewma.Record(100, 1_000, 10_000, peak: true);

        Assert.True(ewma.HasValue);
        Assert.Equal(100, ewma.Value);
        Assert.Equal(1_000, ewma.LastMs);
    }

    [Fact]
    public void Lower_samples_decay_a_peak_value_by_elapsed_time()
    {
        var ewma = new EwmaState();
        ewma.Record(100, 1_000, 10_000, peak: true);

        // One time constant later: 100·e^−1.
        ewma.Record(0, 11_000, 10_000, peak: true);
        Assert.Equal(36.787944117144235, ewma.Value, 12);

        // Half a time constant later, towards 10: v·e^−0.5 + 10·(1 − e^−0.5).
        ewma.Record(10, 16_000, 10_000, peak: true);
        Assert.Equal(26.24770941771665, ewma.Value, 12);
    }

    [Fact]
    public void A_higher_sample_is_taken_at_once_by_a_peak_average()
    {
        var ewma = new EwmaState();
        ewma.Record(20, 0, 10_000, peak: true);
        ewma.Record(20, 60_000, 10_000, peak: true);

        ewma.Record(500, 60_001, 10_000, peak: true);

        Assert.Equal(500, ewma.Value);
    }

    [Fact]
    public void A_spike_is_forgotten_only_over_time()
    {
        var ewma = new EwmaState();
        ewma.Record(20, 0, 10_000, peak: true);
        ewma.Record(500, 1_000, 10_000, peak: true);

        // A burst of good samples within a millisecond hardly moves it: no time has passed.
        for (int i = 0; i < 100; i++)
        {
            ewma.Record(20, 1_000, 10_000, peak: true);
        }
        Assert.Equal(500, ewma.Value);

        ewma.Record(20, 31_000, 10_000, peak: true);
        Assert.Equal(20 + 480 * Math.Exp(-3), ewma.Value, 9);
    }

    [Fact]
    public void A_clock_reading_from_before_the_last_sample_counts_as_no_time()
    {
        var ewma = new EwmaState();
        ewma.Record(100, 5_000, 10_000, peak: true);

        ewma.Record(0, 4_000, 10_000, peak: true);

        Assert.Equal(100, ewma.Value);
        Assert.Equal(5_000, ewma.LastMs);
    }

    [Fact]
    public void Non_finite_samples_are_ignored()
    {
        var ewma = new EwmaState();
        ewma.Record(double.NaN, 0, 10_000, peak: true);
        Assert.False(ewma.HasValue);

        ewma.Record(30, 0, 10_000, peak: true);
        ewma.Record(double.PositiveInfinity, 1, 10_000, peak: true);
        Assert.Equal(30, ewma.Value);
    }
}
