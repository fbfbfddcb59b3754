using Appliance.Protocols.Rtmp;
using Appliance.Transport.Sockets;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>The appliance's own RTMP client on a daemon's port, connected as the node connects: through the transport's connector.</summary>
public static class RtmpClients
{
    public static Task<RtmpClient> ConnectAsync(int port, string app, CancellationToken ct, string? tcUrl = null) =>
        ConnectAsync("127.0.0.1", port, app, ct, tcUrl);

    /// <param name="tcUrl">rtmp://host:port/app when null.</param>
    public static async Task<RtmpClient> ConnectAsync(string host, int port, string app, CancellationToken ct, string? tcUrl = null)
    {
        var transport = await TcpConnector.Default.ConnectAsync(host, port, Timeout.Infinite, ct);
        return await RtmpClient.ConnectAsync(transport, app, tcUrl ?? $"rtmp://{ConnectException.HostPort(host, port)}/{app}", ct);
    }
}
