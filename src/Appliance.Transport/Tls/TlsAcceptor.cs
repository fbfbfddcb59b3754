using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Sockets;

namespace Appliance.Transport.Tls;

/// <summary>
/// A TCP listener whose connections are TLS: each accepted socket is handshaken (within the
/// listener's deadline) before the handler sees it. A failed handshake costs that connection
/// alone and is reported once through <see cref="TlsListenerOptions.HandshakeFailed"/>.
/// </summary>
public static class TlsAcceptor
{
    public static TcpAcceptor Create(IPEndPoint endPoint, TlsListenerOptions options, Func<TlsConnection, Task> handler, int backlog = 4096) =>
        TcpAcceptor.ForSockets(endPoint, socket => RunAsync(socket, options, handler), backlog);

    private static async Task RunAsync(Socket socket, TlsListenerOptions options, Func<TlsConnection, Task> handler)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "unknown";
        TlsConnection connection;
        try
        {
            connection = await TlsConnection.AcceptAsync(socket, options).ConfigureAwait(false);
        }
        catch (TlsHandshakeException ex)
        {
            options.HandshakeFailed?.Invoke(peer, ex.Message);
            return;
        }
        try
        {
            await handler(connection).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
