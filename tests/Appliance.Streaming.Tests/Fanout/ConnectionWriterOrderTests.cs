using System.Text;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class ConnectionWriterOrderTests
{
    [Fact]
    public async Task ControlBytesGoOutBeforeMediaNotYetWritten()
    {
        var h = new StreamHarness();
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        h.PublishHeaders();
        h.Stream.Subscribe(writer, WireFormat.Flv);
        h.PublishGop(0, 40);
        writer.Send("CONTROL"u8);

        var run = writer.RunAsync();
        await Eventually.WaitAsync(() => sink.AllBytes().Length > 7, "the writer's first write");
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);

        var bytes = sink.AllBytes();
        Assert.Equal("CONTROL", Encoding.ASCII.GetString(bytes, 0, 7));
        var tags = FlvTags.ParseTags(bytes.AsSpan(7));
        Assert.Equal("Script@0 Video@0 Audio@0 Video@0 Video@40", FlvTags.Describe(tags));
    }

    [Fact]
    public async Task ControlBytesAloneAreWrittenWithoutAStream()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();

        writer.Send("one"u8);
        await Eventually.WaitAsync(() => sink.WriteCount >= 1, "the first reply to be written");
        writer.Send("two"u8);
        await Eventually.WaitAsync(() => sink.AllBytes().Length == 6, "the second reply to be written");
        writer.Close("test over");

        Assert.Equal("test over", await run.WaitAsync(Eventually.Timeout));
        Assert.Equal("onetwo", Encoding.ASCII.GetString(sink.AllBytes()));
        Assert.Equal(6, writer.BytesWritten);
    }
}
