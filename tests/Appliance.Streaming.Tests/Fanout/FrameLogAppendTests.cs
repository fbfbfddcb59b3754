using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class FrameLogAppendTests
{
    private readonly Frames _frames = new();

    [Fact]
    public void AppendNumbersFramesFromZeroAndIndexesThemBySequence()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: long.MaxValue);
        var first = _frames.KeyFrame(0);
        var second = _frames.InterFrame(40);

        log.Append(first);
        log.Append(second);

        Assert.Equal(0, log.Tail);
        Assert.Equal(2, log.Head);
        Assert.Equal(2, log.Count);
        Assert.Same(first, log[0]);
        Assert.Same(second, log[1]);
        Assert.Equal(first.Payload.Length + second.Payload.Length, log.Bytes);
        Assert.Equal(40, log.NewestTimestamp);
        log.Clear();
    }

    [Fact]
    public void GrowsPastTheInitialCapacityKeepingEveryFrameInOrder()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: long.MaxValue);
        for (var i = 0; i < 600; i++)
        {
            log.Append(_frames.InterFrame(i * 10));
        }

        Assert.Equal(600, log.Count);
        Assert.Equal(0, log.Tail);
        for (long seq = 0; seq < 600; seq++)
        {
            Assert.Equal(seq * 10, log[seq].Timestamp);
        }
        log.Clear();
    }

    [Fact]
    public void NewestTimestampIgnoresAFrameThatGoesBackInTime()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: long.MaxValue);
        log.Append(_frames.KeyFrame(100));
        log.Append(_frames.AacRaw(90));

        Assert.Equal(100, log.NewestTimestamp);
        log.Clear();
    }

    [Fact]
    public void NewestTimestampIsTheNewestMediaNotAHeaderStampedAhead()
    {
        const long wrap = 1L << 32;
        var log = new FrameLog(maxEntries: 1024, maxBytes: long.MaxValue);
        // A pull starting 55 s before RTMP's wrap: the parent's stored headers are stamped 0, which
        // the reader extends to the next epoch; the media is where the stream really is.
        log.Append(_frames.Metadata(wrap));
        log.Append(_frames.AvcSequenceHeader(wrap));
        log.Append(_frames.KeyFrame(wrap - 55_000));
        log.Append(_frames.AacRaw(wrap - 54_980));
        log.Append(_frames.AacSequenceHeader(wrap + 5_000));

        Assert.Equal(wrap - 54_980, log.NewestTimestamp);
        log.Clear();
    }

    [Fact]
    public void BeforeAnyMediaTheNewestIsTheNewestOfAnyFrame()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: long.MaxValue);
        log.Append(_frames.Metadata(500));

        Assert.Equal(500, log.NewestTimestamp);
        log.Clear();
    }
}
