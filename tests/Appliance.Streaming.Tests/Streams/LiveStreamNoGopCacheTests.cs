using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class LiveStreamNoGopCacheTests
{
    [Fact]
    public void AViewerStartsAtTheNextKeyFrameAndSkipsInterFramesUntilThen()
    {
        var h = new StreamHarness(app => app.GopCache = false);
        h.PublishHeaders();
        h.PublishGop(0, 200);
        var viewer = h.Subscribe();

        h.Publish(h.Frames.InterFrame(240));
        h.Publish(h.Frames.AacRaw(250));
        var (_, beforeKeyFrame) = h.Collect(viewer);
        h.Publish(h.Frames.KeyFrame(1000));
        h.Publish(h.Frames.AacRaw(1010));
        h.Publish(h.Frames.InterFrame(1040));
        var (_, fromKeyFrame) = h.Collect(viewer);

        Assert.Equal("Script@0 Video@0 Audio@0", FlvTags.Describe(beforeKeyFrame));
        Assert.Equal("Video@1000 Audio@1010 Video@1040", FlvTags.Describe(fromKeyFrame));
    }

    [Fact]
    public void ANewSequenceHeaderReachesAViewerStillWaitingForAKeyFrame()
    {
        var h = new StreamHarness(app => app.GopCache = false);
        h.PublishHeaders();
        h.PublishGop(0, 80);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Publish(h.Frames.AvcSequenceHeader(100));
        h.Publish(h.Frames.InterFrame(120));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@100", FlvTags.Describe(tags));
        Assert.True(StreamHarness.IsSequenceHeader(tags[0]));
    }
}
