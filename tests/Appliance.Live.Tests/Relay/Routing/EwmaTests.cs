using Appliance.Live.Relay.Routing;

namespace Appliance.Live.Tests.Relay.Routing;

public sealed class EwmaTests
{
    [Fact]
    public void MovesTowardsEachSampleByElapsedTimeInBothDirections()
    {
        var ewma = new Ewma(5_000);
        Assert.False(ewma.TryGet(out _, out _));

        ewma.Record(100, 0);
        ewma.Record(200, 5_000);
        Assert.True(ewma.TryGet(out var up, out var at));
        Assert.Equal(163.21205588285576, up, 12);
        Assert.Equal(5_000, at);

        ewma.Record(0, 10_000);
        Assert.True(ewma.TryGet(out var down, out _));
        Assert.Equal(163.21205588285576 * Math.Exp(-1), down, 12);
    }

    [Fact]
    public void NoTimePassedMeansNoChange()
    {
        var ewma = new Ewma(5_000);
        ewma.Record(100, 10);

        ewma.Record(0, 10);
        ewma.Record(0, 9);

        Assert.True(ewma.TryGet(out var value, out _));
        Assert.Equal(100, value);
    }
}
