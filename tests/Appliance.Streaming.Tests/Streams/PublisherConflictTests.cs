using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class PublisherConflictTests
{
    [Fact]
    public void ASecondPublisherIsRefusedByDefault()
    {
        var h = new StreamHarness(app => app.OnPublisherConflict = "refuse");
        var second = new TestSource("second publisher");

        var outcome = h.Registry.TryPublish(StreamHarness.Key, h.App, second, out var stream);

        Assert.Equal(PublishOutcome.Conflict, outcome);
        Assert.Same(h.Source, stream.Source);
        Assert.Null(h.Source.KickReason);
    }

    [Fact]
    public void WithTakeoverTheSecondPublisherReplacesAndKicksTheFirst()
    {
        var h = new StreamHarness(app => app.OnPublisherConflict = "takeover");
        var second = new TestSource("second publisher");

        var outcome = h.Registry.TryPublish(StreamHarness.Key, h.App, second, out var stream);

        Assert.Equal(PublishOutcome.Started, outcome);
        Assert.Same(h.Stream, stream);
        Assert.Same(second, stream.Source);
        Assert.Equal("another publisher took over the stream", h.Source.KickReason);
    }

    [Fact]
    public void FramesFromAPublisherThatWasTakenOverAreDroppedAndReleased()
    {
        var h = new StreamHarness(app => app.OnPublisherConflict = "takeover");
        h.Registry.TryPublish(StreamHarness.Key, h.App, new TestSource(), out _);
        var viewer = h.Subscribe();

        h.Stream.Publish(h.Source, h.Frames.KeyFrame(0));

        Assert.Empty(h.Collect(viewer).Tags);
        Assert.Equal(0, h.Stream.Stats.Frames);
        Assert.Equal(0, h.Frames.Pool.Outstanding);
    }

    [Fact]
    public void TheOldPublisherLeavingAfterATakeoverDoesNotEndTheStream()
    {
        var h = new StreamHarness(app =>
        {
            app.OnPublisherConflict = "takeover";
            app.PublisherGraceMs = 0;
        });
        var second = new TestSource();
        h.Registry.TryPublish(StreamHarness.Key, h.App, second, out _);

        h.Stream.DetachSource(h.Source);

        Assert.False(h.Stream.IsEnded);
        Assert.Same(second, h.Stream.Source);
        Assert.Same(h.Stream, h.Registry.FindForPlay(StreamHarness.Key));
    }
}
