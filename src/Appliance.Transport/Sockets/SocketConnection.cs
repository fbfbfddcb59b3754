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
public sealed class SocketConnection : IConnection, IRawInput, IAsyncDisposable
{
    // Null once the connection gave up reading (DiscardInputUntilClosedAsync): a viewer that will
    // never send another request keeps no reader, stream or pipe segment for the hours it watches.
    private NetworkStream? _stream;
    private PipeReader? _input;
    private int _aborted;
    // Set once a raw-input wait has replaced the pipe's last cancellation registration (IRawInput.WaitAsync).
    private bool _pipeRegistrationReplaced;

    private const int DefaultReceiveBufferSize = 16 * 1024;

    // Only registered on, never cancelled (IRawInput.WaitAsync).
    private static readonly CancellationTokenSource NeverCancelled = new();

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
        _input = PipeReader.Create(_stream, receiveBufferSize == DefaultReceiveBufferSize ? DefaultReaderOptions
            : new StreamPipeReaderOptions(bufferSize: receiveBufferSize, minimumReadSize: 2048, useZeroByteReads: true));
        Output = sendRing is null ? new SocketGatherSink(socket) : new UringGatherSink(socket, sendRing);
    }

    public Socket Socket { get; }

    public PipeReader Input => _input ?? throw new InvalidOperationException("the connection's input was given up: it only watches for the close");

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

    public Task<long> DiscardInputUntilClosedAsync() => SocketInput.DiscardUntilClosedAsync(Socket, GiveUpInput());

    public bool HasRawInput => true;

    public IRawInput TakeRawInput()
    {
        GiveUpInput();
        return this;
    }

    /// <summary>
    /// A zero-byte receive: it waits on the socket's own cached operation, with no buffer and no
    /// frame of its own. Until one has pended, it carries a token of a shared source that is never
    /// cancelled: the pipe's last receive left its cancellation registration on that cached
    /// operation, which the runtime replaces only with a later receive's own, and through it the
    /// pipe's token source stayed reachable for the connection's life (192 bytes per RTMP player).
    /// A pending receive with a token replaces it; its own registration is dropped when it completes
    /// (the player's first acknowledgement). HTTP viewers' watch (<see cref="SocketInput"/>) keeps
    /// no token: their pipe's last read rarely registered one (one viewer in five), and such a
    /// registration would be held for as long as they watch, since they never send.
    /// </summary>
    ValueTask<int> IRawInput.WaitAsync()
    {
        var wait = Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _pipeRegistrationReplaced ? default : NeverCancelled.Token);
        _pipeRegistrationReplaced |= !wait.IsCompleted;
        return wait;
    }

    // A zero-byte receive may complete on a stale readiness event (see ReadinessGuardedStream).
    bool IRawInput.HasInput => Socket.Poll(0, SelectMode.SelectRead);

    int IRawInput.Receive(Span<byte> into) => Socket.Receive(into, SocketFlags.None);

    /// <summary>Drops what the reader holds and completes it (the socket stays open); returns the bytes dropped.</summary>
    private long GiveUpInput()
    {
        var input = Interlocked.Exchange(ref _input, null) ?? throw new InvalidOperationException("the connection's input was already given up");
        long discarded = 0;
        if (input.TryRead(out var held))
        {
            discarded = held.Buffer.Length;
            input.AdvanceTo(held.Buffer.End);
        }
        input.Complete();
        Interlocked.Exchange(ref _stream, null)?.Dispose();
        return discarded;
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        if (Interlocked.Exchange(ref _input, null) is { } input)
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
        if (Interlocked.Exchange(ref _stream, null) is { } stream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
