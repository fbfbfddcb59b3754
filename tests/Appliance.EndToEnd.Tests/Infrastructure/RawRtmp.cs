using System.Net.Sockets;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A bare TCP connection to the RTMP port for sending exactly the bytes a test wants.</summary>
public sealed class RawRtmp : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawRtmp(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
    }

    public NetworkStream Stream { get; }

    public int LocalPort => ((System.Net.IPEndPoint)_tcp.Client.LocalEndPoint!).Port;

    public static async Task<RawRtmp> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawRtmp(tcp);
    }

    /// <summary>The plain client handshake: C0+C1, read S0+S1+S2, send C2.</summary>
    public async Task HandshakeAsync(CancellationToken ct)
    {
        var hello = new byte[RtmpHandshake.ClientHelloSize];
        RtmpHandshake.WriteClientHello(hello);
        await Stream.WriteAsync(hello, ct);
        var response = new byte[RtmpHandshake.ServerResponseSize];
        await Stream.ReadExactlyAsync(response, ct);
        var ack = new byte[RtmpHandshake.PacketSize];
        RtmpHandshake.WriteClientAck(response.AsSpan(1, RtmpHandshake.PacketSize), ack);
        await Stream.WriteAsync(ack, ct);
    }

    public async Task SendMessageAsync(int chunkStream, byte type, uint streamId, byte[] payload, CancellationToken ct)
    {
        var bytes = new byte[RtmpChunkWriter.MaxLength(payload.Length, 128, chunkStream)];
        var length = RtmpChunkWriter.Write(bytes, chunkStream, 0, type, streamId, payload, 128);
        await Stream.WriteAsync(bytes.AsMemory(0, length), ct);
    }

    public Task SendAsync(byte[] bytes, CancellationToken ct) => Stream.WriteAsync(bytes, ct).AsTask();

    /// <summary>Reads and discards until the server closes; false if it is still open at the deadline.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
