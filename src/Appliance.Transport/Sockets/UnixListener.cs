using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

/// <summary>
/// A listening Unix stream socket at a path, with the file mode set before anyone can connect.
/// The node's only non-TCP listener (the control socket); what a connection says is the caller's.
/// </summary>
public sealed class UnixListener : IDisposable
{
    private readonly Socket _socket;

    /// <summary>Binds and listens; a file already at <paramref name="path"/> makes it fail (see <see cref="IsAnswered"/>).</summary>
    public UnixListener(string path, UnixFileMode mode, int backlog)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _socket.Bind(new UnixDomainSocketEndPoint(path));
            // Between bind and listen: no connect can get in before the mode applies.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
            _socket.Listen(backlog);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public ValueTask<Socket> AcceptAsync(CancellationToken ct) => _socket.AcceptAsync(ct);

    /// <summary>
    /// Whether a process accepts connections at <paramref name="path"/>: false when there is no
    /// file or nobody answers on it (a socket file left by a process that died).
    /// </summary>
    public static bool IsAnswered(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Stops listening; connections already accepted are their owners'.</summary>
    public void Dispose() => _socket.Dispose();
}
