using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Sockets;

namespace Appliance.Node.Server;

/// <summary>
/// A listener that could not be opened, named by its config key and address
/// ("rtmp.listen 0.0.0.0:1935: address already in use"), so the operator knows which key to fix.
/// </summary>
public sealed class ListenerException(string message, Exception inner) : IOException(message, inner)
{
    public static TcpAcceptor Open(string key, IPEndPoint endPoint, Func<SocketConnection, Task> handler, Transport.Uring.SendRing? sendRing = null) =>
        Open(key, endPoint, () => new TcpAcceptor(endPoint, handler, sendRing: sendRing));

    public static TcpAcceptor Open(string key, IPEndPoint endPoint, Func<TcpAcceptor> open)
    {
        try
        {
            return open();
        }
        catch (SocketException ex)
        {
            var reason = ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AddressNotAvailable => "no such address on this host",
                _ => ex.Message,
            };
            throw new ListenerException($"{key} {endPoint}: {reason}", ex);
        }
    }

    /// <summary>Opens what listens at a file system path (the control socket), naming key and path when it cannot.</summary>
    public static T Open<T>(string key, string path, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SocketException && ex is not ListenerException)
        {
            var reason = ex switch
            {
                UnauthorizedAccessException => "permission denied",
                SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => "in use by a running daemon",
                _ => ex.Message,
            };
            throw new ListenerException($"{key} {path}: {reason}", ex);
        }
    }
}
