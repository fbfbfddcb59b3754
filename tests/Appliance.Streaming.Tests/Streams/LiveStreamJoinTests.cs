using Appliance.Streaming.Settings;
using Appliance.Streaming.Fanout;
using Appliance.Codecs.Flv;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class LiveStreamJoinTests
{
    [Fact]
    public void AViewerJoiningMidGopGetsMetadataHeadersThenTheGopFromItsKeyFrame()
    {
        var h = new StreamHarness(app => app.JoinMode = JoinModes.KeyFrame);
        h.PublishHeaders();
        h.PublishGop(0, 960);
        h.Publish(h.Frames.KeyFrame(1000));
        h.Publish(h.Frames.AacRaw(1020));
        h.Publish(h.Frames.InterFrame(1040));
        h.Publish(h.Frames.InterFrame(1080));

        var viewer = h.Subscribe();
        var (result, tags) = h.Collect(viewer);

        Assert.Equal(CollectResult.Idle, result);
        Assert.Equal("Script@0 Video@0 Audio@0 Video@1000 Audio@1020 Video@1040 Video@1080", FlvTags.Describe(tags));
        Assert.Equal(Payloads.OnMetaData(), tags[0].Payload);
        Assert.Equal(Payloads.AvcSequenceHeader(), tags[1].Payload);
        Assert.Equal(Payloads.AacSequenceHeader(), tags[2].Payload);
        Assert.True(StreamHarness.IsKeyFrame(tags[3]));
    }

    [Fact]
    public void AViewerGetsEachFrameOnceAcrossCollects()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(0, 80);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Publish(h.Frames.InterFrame(120));
        h.Publish(h.Frames.AacRaw(130));
        var (_, tags) = h.Collect(viewer);
        var (_, none) = h.Collect(viewer);

        Assert.Equal("Video@120 Audio@130", FlvTags.Describe(tags));
        Assert.Empty(none);
    }

    [Fact]
    public void AViewerOfAStreamWithoutAKeyFrameYetStartsAtTheFirstKeyFrame()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        var viewer = h.Subscribe();

        h.Publish(h.Frames.InterFrame(0));
        h.Publish(h.Frames.AacRaw(10));
        h.Publish(h.Frames.KeyFrame(40));
        h.Publish(h.Frames.AacRaw(50));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Script@0 Video@0 Audio@0 Video@40 Audio@50", FlvTags.Describe(tags));
    }

    [Fact]
    public void AFullBatchAsksToBeCalledAgain()
    {
        var h = new StreamHarness(app => app.JoinMode = JoinModes.KeyFrame);
        h.PublishHeaders();
        h.PublishGop(0, 40 * 30);
        var viewer = h.Subscribe();
        var batch = new Appliance.Streaming.Fanout.OutputBatch(maxSlices: 10);

        var first = h.Stream.Collect(viewer, batch);
        var firstCount = batch.Count;
        batch.ReleaseAll();
        var second = h.Stream.Collect(viewer, batch);
        var secondTags = FlvTags.Parse(batch);
        batch.ReleaseAll();

        Assert.Equal(CollectResult.More, first);
        Assert.Equal(10, firstCount);
        // Headers then 7 frames went first; the next collect carries on at the 8th (280 ms).
        Assert.Equal(FlvTagType.Video, secondTags[0].Type);
        Assert.Equal(280u, secondTags[0].Timestamp);
    }

    [Fact]
    public void AViewerWaitingForTheFirstFramesGetsEachHeaderOnce()
    {
        var h = new StreamHarness();
        var viewer = h.Subscribe();

        h.PublishHeaders();
        h.PublishGop(0, 40);
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Script@0 Video@0 Audio@0 Video@0 Video@40", FlvTags.Describe(tags));
    }

    [Fact]
    public void AViewerJoiningRightAfterAKeyFrameStartsOneGopEarlierSoItsPlayerHasABuffer()
    {
        var h = new StreamHarness(app =>
        {
            app.JoinMode = JoinModes.Buffer;
            app.JoinBufferMs = 1000;
        });
        h.PublishHeaders();
        h.PublishGop(0, 960);
        h.Publish(h.Frames.KeyFrame(1000));
        h.Publish(h.Frames.InterFrame(1040));

        var (_, tags) = h.Collect(h.Subscribe());

        // Only 40 ms since the newest keyframe: the viewer starts at the one before it.
        Assert.StartsWith("Script@0 Video@0 Audio@0 Video@0 ", FlvTags.Describe(tags), StringComparison.Ordinal);
        Assert.EndsWith("Video@1000 Video@1040", FlvTags.Describe(tags), StringComparison.Ordinal);
    }

    [Fact]
    public void AViewerJoiningWellAfterAKeyFrameStartsAtIt()
    {
        var h = new StreamHarness(app =>
        {
            app.JoinMode = JoinModes.Buffer;
            app.JoinBufferMs = 1000;
        });
        h.PublishHeaders();
        h.PublishGop(0, 960);
        h.PublishGop(1000, 2200);

        var (_, tags) = h.Collect(h.Subscribe());

        Assert.StartsWith("Script@0 Video@0 Audio@0 Video@1000 ", FlvTags.Describe(tags), StringComparison.Ordinal);
    }
}
