using System.Net;
using System.Net.Sockets;
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

    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/> from <paramref name="localAddress"/> (such as
    /// 127.0.0.2: all of 127.0.0.0/8 is this machine), for rules that tell client addresses apart.
    /// </summary>
    public static async Task<RtmpClient> ConnectFromAsync(IPAddress localAddress, int port, string app, CancellationToken ct)
    {
        var tcp = new TcpClient(new IPEndPoint(localAddress, 0));
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        // The stream owns the socket: the client disposes both.
        return await RtmpClient.ConnectAsync(tcp.GetStream(), app, $"rtmp://127.0.0.1:{port}/{app}", ct);
    }
}
