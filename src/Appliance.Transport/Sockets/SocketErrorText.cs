using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

/// <summary>What a socket error means, in the words an operator reads in a log line.</summary>
public static class SocketErrorText
{
    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TryAgain => "name lookup failed (try again)",
        SocketError.TimedOut => "timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
        SocketError.ConnectionReset => "connection reset",
        SocketError.AddressNotAvailable => "address not available",
        _ => error.ToString(),
    };
}
