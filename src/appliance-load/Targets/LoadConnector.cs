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
    /// <summary>What TLS connections trust: the CAs of --ca, or the system store.</summary>
    public static TlsClientTrust Trust { get; set; } = TlsClientTrust.SystemStore;

    public static async Task<LoadConnection> ConnectAsync(StreamUrl url, CancellationToken cancel)
    {
        var tcp = await TcpConnector.Default.ConnectAsync(url.ConnectHost, url.Port, Timeout.Infinite, cancel).ConfigureAwait(false);
        if (!url.IsTls)
        {
            return new LoadConnection(tcp, tcp);
        }
        // The SslStream owns the socket's stream and disposes it when the handshake fails.
        var tls = await TlsClient.AuthenticateAsync(tcp, url.Host, Trust, http: url.Protocol != StreamProtocol.Rtmp, cancel).ConfigureAwait(false);
        return new LoadConnection(tcp, tls);
    }
}
