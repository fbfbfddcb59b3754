using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class FrameLogKeyFrameTests
{
    private readonly Frames _frames = new();

    [Fact]
    public void StartsWithNoKeyFrame()
    {
        var log = new FrameLog(1024, long.MaxValue);
        log.Append(_frames.AacRaw(0));
        log.Append(_frames.InterFrame(0));

        Assert.Equal(-1, log.LastKeyFrame);
        log.Clear();
    }

    [Fact]
    public void TracksTheNewestVideoKeyFrameOnly()
    {
        var log = new FrameLog(1024, long.MaxValue);
        log.Append(_frames.AvcSequenceHeader(0)); // 0: a sequence header is not a frame to start at
        log.Append(_frames.KeyFrame(0));          // 1
        log.Append(_frames.InterFrame(40));       // 2
        log.Append(_frames.KeyFrame(80));         // 3
        log.Append(_frames.AacRaw(90));           // 4
        log.Append(_frames.InterFrame(120));      // 5

        Assert.Equal(3, log.LastKeyFrame);
        log.Clear();
    }

    [Fact]
    public void ForgetsTheKeyFrameWhenItIsEvicted()
    {
        var log = new FrameLog(maxEntries: 1024, maxBytes: 100);
        log.Append(_frames.KeyFrame(0, size: 60));
        log.Append(_frames.InterFrame(40, size: 60));

        Assert.Equal(1, log.Tail);
        Assert.Equal(-1, log.LastKeyFrame);
        log.Clear();
    }
}
