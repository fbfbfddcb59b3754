using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;

namespace Appliance.Load.Targets;

/// <summary>One connection to a stream's server: the TCP socket, and what to read and write (the socket, or TLS over it).</summary>
internal readonly record struct LoadConnection(NetworkStream Tcp, Stream Stream);

/// <summary>
/// Opens viewers' and the publisher's connections: TCP, and for rtmps:// and https:// a TLS
/// handshake with the certificate checked as the node checks its parents' (chain to --ca or the
/// system store, the host name, validity). There is no way to skip the check: a load test that
/// trusted anything would not measure what real players pay.
/// </summary>
internal static class LoadConnector
{
    private const int IpProtocolIp = 0;
    private const int IpBindAddressNoPort = 24;

    /// <summary>What TLS connections trust: the CAs of --ca, or the system store.</summary>
    public static TlsClientTrust Trust { get; set; } = TlsClientTrust.SystemStore;

    /// <summary>--source-addresses: the local addresses viewers connect from; null: the kernel's choice.</summary>
    public static SourceAddresses? Sources { get; set; }

    public static async Task<LoadConnection> ConnectAsync(StreamUrl url, CancellationToken cancel)
    {
        var tcp = Sources is { } sources && IPAddress.TryParse(url.ConnectHost, out var target) && target.AddressFamily == AddressFamily.InterNetwork
            ? await ConnectFromAsync(sources.Next(), target, url, cancel).ConfigureAwait(false)
            : await TcpConnector.Default.ConnectAsync(url.ConnectHost, url.Port, Timeout.Infinite, cancel).ConfigureAwait(false);
        if (!url.IsTls)
        {
            return new LoadConnection(tcp, tcp);
        }
        // The SslStream owns the socket's stream and disposes it when the handshake fails.
        var tls = await TlsClient.AuthenticateAsync(tcp, url.Host, Trust, http: url.Protocol != StreamProtocol.Rtmp, cancel).ConfigureAwait(false);
        return new LoadConnection(tcp, tls);
    }

    private static async Task<NetworkStream> ConnectFromAsync(IPAddress source, IPAddress target, StreamUrl url, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            // The port is left to connect(), which may reuse one towards another destination: a
            // bind() that picked it would keep it from every destination and run out at ~28,000.
            socket.SetRawSocketOption(IpProtocolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(target, url.Port), cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw ConnectException.Failed(url.ConnectHost, url.Port, e.SocketErrorCode);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
