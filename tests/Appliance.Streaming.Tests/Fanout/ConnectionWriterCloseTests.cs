using Appliance.Core.Buffers;
using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class ConnectionWriterCloseTests
{
    private readonly BufferPool _pool = new(1 << 20);

    private SharedBuffer Bytes(string text)
    {
        var buffer = _pool.Rent(text.Length);
        buffer.Length = System.Text.Encoding.ASCII.GetBytes(text, buffer.FullSpan);
        return buffer;
    }

    [Fact]
    public async Task CloseAfterFlushWritesWhatIsQueuedThenReturnsItsReason()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();

        writer.Send(Bytes("refused;"));
        writer.Send(Bytes("bye"));
        writer.CloseAfterFlush("response complete");

        Assert.Equal("response complete", await run.WaitAsync(Eventually.Timeout));
        Assert.Equal("refused;bye", System.Text.Encoding.ASCII.GetString(sink.AllBytes()));
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public async Task CloseDropsWhatIsQueuedAndReleasesIt()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        writer.Send(Bytes("never"));
        writer.Send(Bytes("sent"));

        writer.Close("kicked");
        var reason = await writer.RunAsync().WaitAsync(Eventually.Timeout);

        Assert.Equal("kicked", reason);
        Assert.Equal(0, sink.WriteCount);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public async Task BytesSentAfterTheWriterStoppedAreReleased()
    {
        var writer = new ConnectionWriter(new RecordingSink());
        writer.Close("closed");
        await writer.RunAsync().WaitAsync(Eventually.Timeout);

        writer.Send(Bytes("late"));

        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public async Task StoppingTheWriterLeavesTheStream()
    {
        var h = new StreamHarness();
        var writer = new ConnectionWriter(new RecordingSink());
        h.Stream.Subscribe(writer, Appliance.Streaming.Media.WireFormat.Flv);
        var run = writer.RunAsync();
        Assert.Equal(1, h.Stream.ViewerCount);

        writer.Close("viewer left");
        await run.WaitAsync(Eventually.Timeout);

        Assert.Equal(0, h.Stream.ViewerCount);
        Assert.Null(writer.Subscription);
    }

    [Fact]
    public async Task TheEndListenerHearsTheReasonOnceAfterTheWriterLeftTheStreamAndReleasedItsQueue()
    {
        var h = new StreamHarness();
        var listener = new EndRecorder(h.Stream, _pool);
        var writer = new ConnectionWriter(new RecordingSink()) { EndListener = listener };
        h.Stream.Subscribe(writer, Appliance.Streaming.Media.WireFormat.Flv);
        writer.Send(Bytes("dropped"));

        writer.Close("kicked");
        var reason = await writer.RunAsync().WaitAsync(Eventually.Timeout);

        Assert.Equal("kicked", reason);
        Assert.Equal(["kicked"], listener.Reasons);
        Assert.Equal([(0, 0L)], listener.SeenAtEnd);
    }

    [Fact]
    public async Task AFailedWriteReachesTheEndListenerWithItsReason()
    {
        var listener = new EndRecorder(null, _pool);
        var writer = new ConnectionWriter(new RecordingSink(failWith: new IOException("broken pipe"))) { EndListener = listener };
        writer.Send(Bytes("x"));

        var reason = await writer.RunAsync().WaitAsync(Eventually.Timeout);

        Assert.Equal("write failed: broken pipe", reason);
        Assert.Equal([reason], listener.Reasons);
    }

    /// <summary>Records each end it is told of, with the stream's viewers and the pool's outstanding buffers then.</summary>
    private sealed class EndRecorder(Appliance.Streaming.Streams.LiveStream? stream, BufferPool pool) : IWriterEndListener
    {
        public List<string> Reasons { get; } = [];

        public List<(int Viewers, long Outstanding)> SeenAtEnd { get; } = [];

        public void OnWriterEnded(string reason)
        {
            Reasons.Add(reason);
            SeenAtEnd.Add((stream?.ViewerCount ?? 0, pool.Outstanding));
        }
    }
}
