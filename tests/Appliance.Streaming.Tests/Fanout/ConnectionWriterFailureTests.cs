using Appliance.Core.Buffers;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class ConnectionWriterFailureTests
{
    [Fact]
    public async Task AFailedWriteEndsTheLoopWithAReasonInsteadOfAnException()
    {
        var pool = new BufferPool(1 << 20);
        var writer = new ConnectionWriter(new RecordingSink(failWith: new IOException("broken pipe")));
        var reply = pool.Rent(16);
        reply.Length = 16;

        writer.Send(reply);
        var reason = await writer.RunAsync().WaitAsync(Eventually.Timeout);

        Assert.Equal("write failed: broken pipe", reason);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task AViewerWhoseWriteFailsLeavesTheStreamAndHoldsNoFrameBytes()
    {
        var h = new StreamHarness();
        var writer = new ConnectionWriter(new RecordingSink(failWith: new IOException("connection reset")));
        h.Stream.Subscribe(writer, WireFormat.Flv);
        var frame = h.Frames.KeyFrame(0);
        var wire = frame.GetWire(WireFormat.Flv, h.Stream.Serializer).AddRef();
        h.Publish(frame);

        var reason = await writer.RunAsync().WaitAsync(Eventually.Timeout);

        Assert.Equal("write failed: connection reset", reason);
        Assert.Equal(0, h.Stream.ViewerCount);
        Assert.Equal(2, wire.RefCount); // the frame's and ours
        wire.Release();
    }
}
