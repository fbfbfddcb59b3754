using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Appliance.Core.Connections;
using Appliance.Transport.Sockets;

namespace Appliance.Transport.Tls;

/// <summary>
/// An accepted connection after a server-side TLS handshake: the protocol sessions read the
/// decrypted bytes from a pipe and write through <see cref="TlsGatherSink"/>, exactly as on a
/// plain <see cref="SocketConnection"/>, so every HTTP output and RTMP runs over it unchanged.
/// </summary>
public sealed class TlsConnection : IConnection, IAsyncDisposable
{
    private const int ReceiveBufferSize = 16 * 1024;

    private static readonly StreamPipeReaderOptions ReaderOptions =
        new(bufferSize: ReceiveBufferSize, minimumReadSize: 2048, useZeroByteReads: true);

    private readonly Socket _socket;
    private readonly SslStream _stream;
    private int _aborted;

    private TlsConnection(Socket socket, SslStream stream, TlsCertificate certificate)
    {
        _socket = socket;
        _stream = stream;
        Certificate = certificate;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        Input = PipeReader.Create(stream, ReaderOptions);
        Output = new TlsGatherSink(stream);
    }

    public PipeReader Input { get; }

    public TlsGatherSink Output { get; }

    IGatherSink IConnection.Output => Output;

    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The certificate the handshake presented.</summary>
    public TlsCertificate Certificate { get; }

    public SslProtocols Protocol => _stream.SslProtocol;

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>
    /// Runs the server handshake on an accepted socket within the listener's deadline. Throws
    /// <see cref="TlsHandshakeException"/> (with the reason) and closes the socket when it fails.
    /// </summary>
    public static async Task<TlsConnection> AcceptAsync(Socket socket, TlsListenerOptions options)
    {
        TcpSocketOptions.Apply(socket);
        // Handshakes read the set once: a reload swaps it for the handshakes that start after it.
        var set = options.Certificates.Current;
        TlsCertificate? chosen = null;
        var stream = new SslStream(new ReadinessGuardedStream(socket), leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(options.HandshakeTimeout);
        try
        {
            await RefuseWhatIsNotAClientHelloAsync(socket, deadline.Token).ConfigureAwait(false);
            await stream.AuthenticateAsServerAsync((_, hello, _, _) =>
            {
                chosen = set.Select(hello.ServerName);
                return ValueTask.FromResult(options.Http ? chosen.HttpOptions : chosen.PlainOptions);
            }, null, deadline.Token).ConfigureAwait(false);
            return new TlsConnection(socket, stream, chosen!);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            DiscardUnread(socket);
            await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw new TlsHandshakeException(Describe(ex, deadline.IsCancellationRequested, options.HandshakeTimeout), ex);
        }
    }

    /// <summary>
    /// Peeks at the first record (leaving it for SslStream) and refuses a handshake record whose
    /// first message is not a ClientHello: given one (a ServerHello, say), SslStream waits without
    /// reading, past the deadline, and the connection stays open for good. A server's peer only
    /// ever starts with a ClientHello. Anything that is not a handshake record at all, SslStream
    /// refuses at once by itself; a record cut short runs into the deadline here or there.
    /// </summary>
    private static async Task RefuseWhatIsNotAClientHelloAsync(Socket socket, CancellationToken ct)
    {
        const byte HandshakeRecord = 0x16;
        const byte ClientHello = 0x01;
        var head = new byte[6];
        while (true)
        {
            var read = await socket.ReceiveAsync(head, SocketFlags.Peek, ct).ConfigureAwait(false);
            if (read == 0 || head[0] != HandshakeRecord)
            {
                return;
            }
            if (read == head.Length)
            {
                if (head[5] != ClientHello)
                {
                    throw new AuthenticationException($"the first handshake message is not a ClientHello (type {head[5]})");
                }
                return;
            }
            // Fewer bytes than the record header and message type: a peek returns what is there at once.
            await Task.Delay(10, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads away what the peer sent and nobody read (a record peeked at and refused, a header cut
    /// short), so that closing ends the connection with a FIN rather than a reset: the peer reads
    /// the end of the stream, not an error. At most 64 KB; the rest, if any, resets.
    /// </summary>
    private static void DiscardUnread(Socket socket)
    {
        try
        {
            Span<byte> sink = stackalloc byte[4096];
            for (var total = 0; total < 64 * 1024 && socket.Available > 0; )
            {
                var read = socket.Receive(sink[..Math.Min(sink.Length, socket.Available)], SocketFlags.None);
                if (read <= 0)
                {
                    return;
                }
                total += read;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static string Describe(Exception ex, bool timedOut, TimeSpan timeout)
    {
        if (timedOut)
        {
            return $"handshake not finished within {(int)timeout.TotalMilliseconds} ms";
        }
        var inner = ex.InnerException is { } cause && cause.Message != ex.Message ? $": {cause.Message}" : "";
        return ex switch
        {
            IOException { InnerException: null } => "peer closed the connection during the handshake",
            _ => $"{ex.Message}{inner}",
        };
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await Input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
