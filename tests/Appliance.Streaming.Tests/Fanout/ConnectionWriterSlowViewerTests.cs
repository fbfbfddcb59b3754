using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class ConnectionWriterSlowViewerTests
{
    [Fact]
    public async Task AViewerThatKeepsFallingBehindIsDroppedAsTooSlow()
    {
        var h = new StreamHarness(app =>
        {
            app.MaxViewerLagMs = 500;
            app.MaxViewerSkipsPerMinute = 1;
        });
        var sink = new RecordingSink(gated: true);
        var writer = new ConnectionWriter(sink);
        h.Stream.Subscribe(writer, WireFormat.Flv);
        var run = writer.RunAsync();
        h.PublishHeaders();
        h.Publish(h.Frames.KeyFrame(0));
        await Eventually.WaitAsync(() => sink.WriteCount == 1, "the first write");

        // Each time the viewer's write is stuck, more than the lag arrives: it must skip ahead.
        FallBehind(h, start: 100);
        sink.Allow(1);
        await Eventually.WaitAsync(() => sink.WriteCount == 2, "the write after the first skip");
        FallBehind(h, start: 2100);
        sink.Allow(1);

        Assert.Equal(ConnectionWriter.TooSlowReason, await run.WaitAsync(Eventually.Timeout));
        Assert.Equal(0, h.Stream.ViewerCount);
        Assert.Equal(2, sink.WriteCount);
    }

    private static void FallBehind(StreamHarness h, long start)
    {
        for (var ts = start; ts < start + 900; ts += 100)
        {
            h.Publish(h.Frames.InterFrame(ts));
        }
        h.PublishGop(start + 900, start + 1500);
    }
}
