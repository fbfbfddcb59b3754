using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

/// <summary>The client's byte counters, which pulls and pushes report as node traffic.</summary>
public class RtmpClientByteCountTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public async Task BytesSentAndReceivedMatchWhatCrossedTheTransportAndOutliveTheClient()
    {
        var ct = Deadline();
        var (pairStream, serverPipe) = DuplexStream.CreatePair();
        var clientStream = new CountingStream(pairStream);
        var server = new ScriptedRtmpServer(serverPipe);
        var published = new TaskCompletionSource();
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            await server.AcceptConnectAsync(ct);
            await server.ExpectCommandAsync("releaseStream", ct);
            await server.ExpectCommandAsync("FCPublish", ct);
            await server.AcceptCreateStreamAsync(ct);
            await server.ExpectCommandAsync("publish", ct);
            await server.SendStatusAsync(1, "status", "NetStream.Publish.Start", "publishing", ct);
            await server.ReadAsync(ct);
            await server.ReadAsync(ct);
            published.SetResult();
        });

        var client = await RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct);
        await client.PublishAsync("cam", ct);
        await client.SendMediaAsync(RtmpMessageType.Video, 0, Hex.Pattern(10_000, seed: 4), ct);
        await client.SendMediaAsync(RtmpMessageType.Audio, 23, new byte[] { 0xAF, 0x01 }, ct);
        await published.Task.WaitAsync(ct);
        await serverScript;
        var sent = client.BytesSent;
        var received = client.BytesReceived;
        await client.DisposeAsync();

        Assert.Equal(clientStream.Written, sent);
        Assert.True(sent > 10_000 + RtmpHandshake.ClientHelloSize, $"{sent} bytes sent");
        // Everything the server wrote was handshake, control and status messages the client read.
        Assert.True(received > RtmpHandshake.ServerResponseSize, $"{received} bytes received");
        Assert.Equal(sent, client.BytesSent);
        Assert.Equal(received, client.BytesReceived);
    }

    /// <summary>Passes everything through to the inner stream and counts the bytes written to it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            Interlocked.Add(ref _written, count);
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _written, buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
