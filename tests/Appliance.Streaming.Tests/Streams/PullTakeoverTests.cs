using Appliance.Streaming.Settings;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>An encoder that moves to a node which pulls its stream from the node it left takes the stream over there.</summary>
public sealed class PullTakeoverTests
{
    private static readonly StreamKey Key = new("default", "live", "cam");

    [Fact]
    public void A_publisher_takes_a_pulled_stream_over_even_when_conflicts_are_refused_and_viewers_keep_the_stream()
    {
        var app = new StreamingAppConfig { OnPublisherConflict = "refuse" };
        var registry = new StreamRegistry(new FrameSerializer(4096));
        var pull = new Pull();
        Assert.Equal(PublishOutcome.Started, registry.TryPublish(Key, app, pull, out var pulled));
        var publisher = new TestSource("publisher");

        var outcome = registry.TryPublish(Key, app, publisher, out var stream);
        pulled.EndFrom(pull);

        Assert.Equal(PublishOutcome.Started, outcome);
        Assert.Same(pulled, stream);
        Assert.Same(publisher, stream.Source);
        Assert.Equal("another publisher took over the stream", pull.KickReason);
        Assert.False(stream.IsEnded);
        Assert.Same(stream, registry.FindForPlay(Key));
    }

    [Fact]
    public void A_pull_never_takes_a_stream_over_from_a_publisher()
    {
        var app = new StreamingAppConfig { OnPublisherConflict = "takeover" };
        var registry = new StreamRegistry(new FrameSerializer(4096));
        var publisher = new TestSource("publisher");
        Assert.Equal(PublishOutcome.Started, registry.TryPublish(Key, app, publisher, out _));

        // With takeover on, a second publisher would win; a pull is not a publisher.
        var outcome = registry.TryPublish(Key, app, new Pull(), out var stream);

        Assert.Equal(PublishOutcome.Conflict, outcome);
        Assert.Same(publisher, stream.Source);
        Assert.Null(publisher.KickReason);
    }

    [Fact]
    public void A_pull_that_still_feeds_its_stream_ends_it()
    {
        var registry = new StreamRegistry(new FrameSerializer(4096));
        var pull = new Pull();
        Assert.Equal(PublishOutcome.Started, registry.TryPublish(Key, new StreamingAppConfig(), pull, out var stream));

        stream.EndFrom(pull);

        Assert.True(stream.IsEnded);
        Assert.Null(registry.FindForPlay(Key));
    }

    private sealed class Pull : IStreamSource
    {
        public string Description => "pull rtmp://10.9.9.9:1935/live";

        public bool IsPull => true;

        public string? KickReason { get; private set; }

        public void Kick(string reason) => KickReason ??= reason;
    }
}
