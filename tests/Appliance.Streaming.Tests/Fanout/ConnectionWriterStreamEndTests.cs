using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class ConnectionWriterStreamEndTests
{
    [Fact]
    public async Task TheEndOfTheStreamReachesTheProtocolThroughEnded()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 0);
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var viewer = h.Stream.Subscribe(writer, WireFormat.Flv)!;
        Subscription? ended = null;
        viewer.Ended = s =>
        {
            ended = s;
            s.Writer.Send("EOF"u8);
            s.Writer.CloseAfterFlush("stream ended");
        };
        var run = writer.RunAsync();

        h.Stream.DetachSource(h.Source);

        Assert.Equal("stream ended", await run.WaitAsync(Eventually.Timeout));
        Assert.Same(viewer, ended);
        Assert.Equal("EOF", System.Text.Encoding.ASCII.GetString(sink.AllBytes()));
        Assert.Equal(0, h.Stream.ViewerCount);
    }

    [Fact]
    public async Task WithAFlushIntervalTheTickerWakesTheWriter()
    {
        var h = new StreamHarness(app => app.FlushIntervalMs = 20);
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        h.Stream.Subscribe(writer, WireFormat.Flv);
        var run = writer.RunAsync();

        h.PublishGop(0, 200);
        await Eventually.WaitAsync(() => FlvTags.ParseTags(sink.AllBytes()).Count == 6, "the ticker to flush all six frames");
        writer.Close("test over");

        Assert.Equal("test over", await run.WaitAsync(Eventually.Timeout));
    }
}
