using System.Net;

namespace Appliance.Transport.Sockets;

/// <summary>A host as it was named (for messages and Host headers), its port, and the addresses it resolved to, in the resolver's order.</summary>
public sealed class ResolvedEndPoint
{
    internal ResolvedEndPoint(string host, int port, IPAddress[] addresses)
    {
        Host = host;
        Port = port;
        Addresses = addresses;
    }

    public string Host { get; }

    public int Port { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public override string ToString() => ConnectException.HostPort(Host, Port);
}
