using Appliance.Streaming.Fanout;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class StreamEndTests
{
    [Fact]
    public void AViewerOfAnEndedStreamIsToldItEnded()
    {
        var h = new StreamHarness();
        h.PublishGop(0, 40);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.End();

        Assert.Equal(CollectResult.Ended, h.Collect(viewer).Result);
        Assert.Equal("stream ended", h.Source.KickReason);
    }

    [Fact]
    public void NobodyCanSubscribeToAnEndedStream()
    {
        var h = new StreamHarness();
        h.Stream.End();

        Assert.Null(h.Stream.Subscribe(new Appliance.Streaming.Fanout.ConnectionWriter(new RecordingSink()), Appliance.Streaming.Media.WireFormat.Flv));
    }

    [Fact]
    public void AViewerGetsWhatWasQueuedBeforeTheEnd()
    {
        var h = new StreamHarness();
        h.PublishGop(0, 40);
        var viewer = h.Subscribe();
        h.Collect(viewer);
        h.Publish(h.Frames.InterFrame(80));
        h.Publish(h.Frames.InterFrame(120));

        h.Stream.End();
        var tags = new List<ParsedTag>();
        var result = CollectResult.More;
        for (var i = 0; i < 5 && result != CollectResult.Ended; i++)
        {
            (result, var more) = h.Collect(viewer);
            tags.AddRange(more);
        }

        Assert.Equal(CollectResult.Ended, result);
        Assert.Equal("Video@80 Video@120", FlvTags.Describe(tags));
    }
}
