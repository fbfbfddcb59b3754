using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Appliance.Core.Connections;
using Appliance.Transport.Native;
using Appliance.Transport.Uring;

namespace Appliance.Transport.Sockets;

/// <summary>
/// An accepted TCP connection: a pipe to read from (the protocol layers parse it) and a gather
/// sink to write to. <see cref="Abort"/> is safe from any thread and makes pending reads and
/// writes fail, which is how deadlines end a connection.
/// </summary>
public sealed class SocketConnection : IConnection, IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private int _aborted;

    private const int DefaultReceiveBufferSize = 16 * 1024;

    // Zero-byte reads wait for data before renting a buffer, so an idle viewer (which only ever
    // reads a few bytes) holds no receive buffer while it waits.
    private static readonly StreamPipeReaderOptions DefaultReaderOptions =
        new(bufferSize: DefaultReceiveBufferSize, minimumReadSize: 2048, useZeroByteReads: true);

    /// <param name="sendRing">Where its writes go: the process's io_uring, or null for sendmsg on epoll.</param>
    public SocketConnection(Socket socket, int receiveBufferSize = DefaultReceiveBufferSize, SendRing? sendRing = null)
    {
        Socket = socket;
        TcpSocketOptions.Apply(socket);
        // sendfile(2) has no MSG_DONTWAIT: the descriptor itself must never block a thread.
        var fd = (int)socket.Handle;
        var flags = LibC.Fcntl(fd, LibC.FGetFl, 0);
        if (flags >= 0)
        {
            LibC.Fcntl(fd, LibC.FSetFl, flags | LibC.ONonBlock);
        }
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        _stream = new ReadinessGuardedStream(socket);
        Input = PipeReader.Create(_stream, receiveBufferSize == DefaultReceiveBufferSize ? DefaultReaderOptions
            : new StreamPipeReaderOptions(bufferSize: receiveBufferSize, minimumReadSize: 2048, useZeroByteReads: true));
        Output = sendRing is null ? new SocketGatherSink(socket) : new UringGatherSink(socket, sendRing);
    }

    public Socket Socket { get; }

    public PipeReader Input { get; }

    public IGatherSink Output { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        // The shutdown already fails a send the ring holds; the cancel makes sure of it.
        (Output as UringGatherSink)?.Close();
        Socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await Input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
