using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class RepublishTests
{
    [Fact]
    public void ANewPublisherWithinTheGraceContinuesTheTimelineJustAfterTheLastFrame()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 10_000);
        h.PublishHeaders();
        h.PublishGop(0, 1000);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.DetachSource(h.Source);
        Assert.Same(h.Stream, h.Registry.FindForPlay(StreamHarness.Key));
        var next = new TestSource("republisher");
        Assert.Equal(PublishOutcome.Started, h.Registry.TryPublish(StreamHarness.Key, h.App, next, out var stream));
        Assert.Same(h.Stream, stream);
        stream.Publish(next, h.Frames.AvcSequenceHeader(0));
        stream.Publish(next, h.Frames.KeyFrame(0));
        stream.Publish(next, h.Frames.InterFrame(40));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@1001 Video@1001 Video@1041", FlvTags.Describe(tags));
    }

    [Fact]
    public void TheOffsetAlsoAppliesWhenTheNewPublisherStartsAtALargeTimestamp()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 10_000);
        h.PublishGop(0, 400);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.DetachSource(h.Source);
        var next = new TestSource();
        h.Registry.TryPublish(StreamHarness.Key, h.App, next, out var stream);
        stream.Publish(next, h.Frames.KeyFrame(90_000));
        stream.Publish(next, h.Frames.InterFrame(90_040));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@401 Video@441", FlvTags.Describe(tags));
    }

    [Fact]
    public async Task AfterTheGracePeriodTheStreamEndsAndLeavesTheRegistry()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 200);
        h.PublishHeaders();
        h.PublishGop(0, 400);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.DetachSource(h.Source);
        Assert.Same(h.Stream, h.Registry.FindForPlay(StreamHarness.Key));
        await Eventually.WaitAsync(() => h.Registry.Streams.Count == 0, "the stream to leave the registry after its grace period");

        Assert.True(h.Stream.IsEnded);
        Assert.Null(h.Registry.FindForPlay(StreamHarness.Key));
        Assert.Equal(CollectResult.Ended, h.Collect(viewer).Result);
        Assert.NotEqual(0, h.Frames.Pool.Outstanding);
        // Once its last viewer has left, the ended stream's log and headers are freed.
        h.Stream.Unsubscribe(viewer);
        Assert.Equal(0, h.Frames.Pool.Outstanding);
    }

    [Fact]
    public void WithoutAGracePeriodThePublisherLeavingEndsTheStreamAtOnce()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 0);
        h.PublishGop(0, 40);

        h.Stream.DetachSource(h.Source);

        Assert.True(h.Stream.IsEnded);
        Assert.Empty(h.Registry.Streams);
    }

    [Fact]
    public void PublishingAgainAfterTheEndStartsAFreshStream()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 0);
        h.PublishGop(0, 400);
        h.Stream.DetachSource(h.Source);

        var next = new TestSource();
        Assert.Equal(PublishOutcome.Started, h.Registry.TryPublish(StreamHarness.Key, h.App, next, out var fresh));
        fresh.Publish(next, h.Frames.KeyFrame(5000));

        var viewer = fresh.Subscribe(new ConnectionWriter(new RecordingSink()), WireFormat.Flv)!;
        var batch = new OutputBatch();
        fresh.Collect(viewer, batch);
        var tags = FlvTags.Parse(batch);
        batch.ReleaseAll();

        Assert.NotSame(h.Stream, fresh);
        Assert.Same(fresh, h.Registry.FindForPlay(StreamHarness.Key));
        // A new stream has a new timeline: no offset from the one that ended.
        Assert.Equal("Video@5000", FlvTags.Describe(tags));
    }
}
