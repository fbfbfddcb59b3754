using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

/// <summary>
/// The options every TCP socket of the node gets, accepted or connected: one place, so inbound and
/// outbound connections cannot drift apart.
/// </summary>
internal static class TcpSocketOptions
{
    public static void Apply(Socket socket)
    {
        // Media and protocol messages are written whole; Nagle would only hold the tail of each back.
        socket.NoDelay = true;
    }
}
