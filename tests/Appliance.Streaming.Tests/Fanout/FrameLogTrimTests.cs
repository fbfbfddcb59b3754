using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class FrameLogTrimTests
{
    private readonly Frames _frames = new();

    /// <summary>GOPs of 1 s (keyframe then inter frames every 100 ms) up to 2900 ms.</summary>
    private FrameLog ThreeGops()
    {
        var log = new FrameLog(1024, long.MaxValue);
        for (var ts = 0; ts < 3000; ts += 100)
        {
            log.Append(ts % 1000 == 0 ? _frames.KeyFrame(ts) : _frames.InterFrame(ts));
        }
        return log;
    }

    [Fact]
    public void KeepsFramesWithinTheLagEvenBeforeTheKeyFrame()
    {
        var log = ThreeGops();

        log.Trim(keepFrom: log.LastKeyFrame, maxLagMs: 1500);

        // Newest is 2900: everything from 1400 on is within the lag.
        Assert.Equal(1400, log[log.Tail].Timestamp);
        Assert.Equal(20, log.LastKeyFrame);
        log.Clear();
    }

    [Fact]
    public void KeepsTheCurrentGopEvenWhenItIsOlderThanTheLag()
    {
        var log = ThreeGops();

        log.Trim(keepFrom: log.LastKeyFrame, maxLagMs: 500);

        Assert.Equal(log.LastKeyFrame, log.Tail);
        Assert.Equal(2000, log[log.Tail].Timestamp);
        Assert.Equal(10, log.Count);
        log.Clear();
    }

    [Fact]
    public void DropsEverythingOutsideTheLagWhenNothingIsKeptForTheGop()
    {
        var log = ThreeGops();

        log.Trim(keepFrom: log.Head, maxLagMs: 500);

        Assert.Equal(2400, log[log.Tail].Timestamp);
        log.Clear();
    }

    [Fact]
    public void ReleasesTheFramesItDrops()
    {
        var log = ThreeGops();

        log.Trim(keepFrom: log.LastKeyFrame, maxLagMs: 500);

        Assert.Equal(log.Count, _frames.Pool.Outstanding);
        log.Clear();
    }
}
