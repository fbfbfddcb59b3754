using Appliance.Core.Buffers;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class ConnectionWriterMergeTests
{
    [Fact]
    public async Task FramesPublishedWhileAWriteIsBlockedGoOutInOneWrite()
    {
        var h = new StreamHarness();
        var sink = new RecordingSink(holdFirstWrite: true);
        var writer = new ConnectionWriter(sink);
        h.Stream.Subscribe(writer, WireFormat.Flv);
        var run = writer.RunAsync();

        h.Publish(h.Frames.KeyFrame(0));
        await Eventually.WaitAsync(() => sink.WriteCount == 1, "the first write to start");
        for (var i = 1; i <= 20; i++)
        {
            h.Publish(h.Frames.InterFrame(i * 40));
        }
        sink.ReleaseFirstWrite();
        await Eventually.WaitAsync(() => TagCount(sink) == 21, "all 21 frames to be written");

        Assert.Equal(2, sink.WriteCount);
        Assert.Single(FlvTags.ParseTags(sink.Writes[0]));
        Assert.Equal(20, FlvTags.ParseTags(sink.Writes[1]).Count);
        Assert.Equal(2, writer.Flushes);
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task TheWriterDropsItsReferencesOnceTheBytesAreWritten()
    {
        var h = new StreamHarness();
        var sink = new RecordingSink(holdFirstWrite: true);
        var writer = new ConnectionWriter(sink);
        h.Stream.Subscribe(writer, WireFormat.Flv);
        var run = writer.RunAsync();
        var wires = new List<SharedBuffer>();
        for (var i = 0; i < 5; i++)
        {
            var frame = i == 0 ? h.Frames.KeyFrame(0) : h.Frames.InterFrame(i * 40);
            // Build the wire bytes up front and hold a reference of our own, so they stay ours to inspect.
            wires.Add(frame.GetWire(WireFormat.Flv, h.Stream.Serializer).AddRef());
            h.Publish(frame);
        }

        await Eventually.WaitAsync(() => sink.WriteCount == 1, "the first write to start");
        var heldDuringWrite = wires[0].RefCount;
        sink.ReleaseFirstWrite();
        await Eventually.WaitAsync(() => TagCount(sink) == 5, "all frames to be written");
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);

        Assert.Equal(3, heldDuringWrite);
        // Left: the frame's own (the stream's log still holds it) and ours.
        Assert.All(wires, wire => Assert.Equal(2, wire.RefCount));
        wires.ForEach(wire => wire.Release());
    }

    private static int TagCount(RecordingSink sink) => FlvTags.ParseTags(sink.AllBytes()).Count;
}
