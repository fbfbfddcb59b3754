using Appliance.Relay.Pull;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Tests.Pull;

public sealed class SrtLinkSamplerTests
{
    private static SrtStats Totals(long received, long lost, long retransmitted, double rtt = 40) =>
        new(rtt, 100, 0, received, 0, lost, 0, retransmitted, 0, 0, 0, 120);

    [Fact]
    public void SharesAreOfTheIntervalNotTheTotals()
    {
        var sampler = new SrtLinkSampler();
        Assert.True(sampler.TryTake(Totals(1_000, 0, 0), out var first));
        Assert.Equal(0, first.LossRatio);

        Assert.True(sampler.TryTake(Totals(1_950, 50, 40, rtt: 310), out var second));
        Assert.Equal(50 / 1_000.0, second.LossRatio, 6);
        Assert.Equal(40 / 950.0, second.RetransmitRatio, 6);
        Assert.Equal(310, second.RttMs);
    }

    [Fact]
    public void NothingReceivedIsNoSample()
    {
        var sampler = new SrtLinkSampler();
        Assert.True(sampler.TryTake(Totals(10, 0, 0), out _));
        Assert.False(sampler.TryTake(Totals(10, 3, 0), out _));
    }
}
