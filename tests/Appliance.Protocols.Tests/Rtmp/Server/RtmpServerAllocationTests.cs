using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>The ingest path (chunks to payload buffers to the handler) allocates nothing per message.</summary>
public class RtmpServerAllocationTests
{
    [Fact]
    public async Task MediaMessagesAllocateNothingPerMessage()
    {
        var handler = new CountingHandler();
        using var server = new RtmpServerHarness(handler: handler);
        server.SendHandshake();
        server.SendControl(bytes => RtmpControl.WriteSetChunkSize(bytes, 4096));
        var message = new byte[RtmpChunkWriter.MaxLength(2000, 4096, 6)];
        var length = RtmpChunkWriter.Write(message, 6, 0, RtmpMessageType.Video, 1, new byte[2000], 4096);
        // The read loop runs until it waits for input; from then on each send resumes it on this thread.
        var run = server.Connection.RunAsync();
        // Warm up: the pipe's segments, the pool's buffers and the chunk stream's state exist after this.
        Send(server, message.AsMemory(0, length), 200);

        var few = Send(server, message.AsMemory(0, length), 100);
        var many = Send(server, message.AsMemory(0, length), 2100);

        Assert.Equal(2400, handler.Media);
        Assert.True(many - few < 1000, $"2000 more messages allocated {many - few} more bytes ({few} for 100, {many} for 2100)");
        server.Close();
        Assert.Equal("peer closed", await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static long Send(RtmpServerHarness server, ReadOnlyMemory<byte> message, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            server.Send(message.Span);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private sealed class CountingHandler : IRtmpServerHandler
    {
        public int Media { get; private set; }

        public void OnBytesReceived(long count)
        {
        }

        public void OnHandshakeCompleted()
        {
        }

        public ValueTask<string?> OnConnectAsync(RtmpConnectRequest request) => default;

        public ValueTask<string?> OnPublishAsync(RtmpPublishRequest request) => default;

        public ValueTask<string?> OnPlayAsync(RtmpPlayRequest request) => default;

        public void OnPause(bool paused, double milliseconds)
        {
        }

        public void OnFCUnpublish(string? streamName)
        {
        }

        public void OnDeleteStream(string command)
        {
        }

        public void OnMedia(in RtmpMessage message) => Media++;

        public void OnIgnored(string what)
        {
        }
    }
}
