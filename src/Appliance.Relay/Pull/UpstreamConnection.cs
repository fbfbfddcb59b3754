using Appliance.Relay.Routing;
using Appliance.Relay.Urls;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;

namespace Appliance.Relay.Pull;

/// <summary>
/// Opens the byte stream to an upstream candidate: TCP, then for https:// and rtmps:// the TLS
/// handshake with the candidate's certificate checked. Either failing is an
/// <see cref="UpstreamException"/> whose message is the reason the pull logs.
/// </summary>
internal static class UpstreamConnection
{
    /// <param name="connectTimeoutMs">For the TCP connect; <paramref name="ct"/> bounds the handshake too.</param>
    public static async Task<Stream> OpenAsync(UpstreamUrl url, TlsClientTrust trust, TcpConnector connector, int connectTimeoutMs, CancellationToken ct)
    {
        Stream connection;
        try
        {
            connection = await connector.ConnectAsync(url.Host, url.Port, connectTimeoutMs, ct).ConfigureAwait(false);
        }
        catch (ConnectException ex)
        {
            throw new UpstreamException(ex.Message);
        }
        if (!url.IsTls)
        {
            return connection;
        }
        try
        {
            return await TlsClient.AuthenticateAsync(connection, url.Host, trust, url.Protocol == UpstreamProtocol.HttpFlv, ct)
                .ConfigureAwait(false);
        }
        catch (TlsHandshakeException ex)
        {
            throw new UpstreamException(ex.Message);
        }
    }
}
