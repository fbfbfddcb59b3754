using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class FrameLogCapTests
{
    private readonly Frames _frames = new();

    [Fact]
    public void TheEntryCapEvictsTheOldestFrames()
    {
        var log = new FrameLog(maxEntries: 256, maxBytes: long.MaxValue);
        for (var i = 0; i < 300; i++)
        {
            log.Append(_frames.InterFrame(i));
        }

        Assert.Equal(256, log.Count);
        Assert.Equal(44, log.Tail);
        Assert.Equal(44, log[log.Tail].Timestamp);
        Assert.Equal(299, log[log.Head - 1].Timestamp);
        Assert.Equal(256, _frames.Pool.Outstanding);
        log.Clear();
    }

    [Fact]
    public void TheEntryCapHoldsWhenItIsNotAPowerOfTwo()
    {
        var log = new FrameLog(maxEntries: 300, maxBytes: long.MaxValue);
        for (var i = 0; i < 400; i++)
        {
            log.Append(_frames.InterFrame(i));
        }

        Assert.Equal(300, log.Count);
        log.Clear();
    }

    [Fact]
    public void TheByteCapEvictsTheOldestFrames()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: 1000);
        for (var i = 0; i < 10; i++)
        {
            log.Append(_frames.InterFrame(i * 40, size: 300));
        }

        Assert.Equal(3, log.Count);
        Assert.Equal(900, log.Bytes);
        Assert.Equal(7 * 40, log[log.Tail].Timestamp);
        Assert.Equal(3, _frames.Pool.Outstanding);
        log.Clear();
    }

    [Fact]
    public void AFrameLargerThanTheByteCapIsStillKept()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: 100);
        log.Append(_frames.InterFrame(0, size: 50));
        log.Append(_frames.KeyFrame(40, size: 500));

        Assert.Equal(1, log.Count);
        Assert.Equal(1, log.LastKeyFrame);
        log.Clear();
    }
}
