using Appliance.Relay.Routing;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;
using Appliance.Protocols.Rtmp;

namespace Appliance.Relay.Pull;

/// <summary>A pull over RTMP: connect to the parent's app, play the stream name (with the URL's credentials and the via query).</summary>
public sealed class RtmpUpstreamFeed : UpstreamFeed
{
    private readonly RtmpClient _client;

    private RtmpUpstreamFeed(RtmpClient client) => _client = client;

    public override long BytesReceived => _client.BytesReceived;

    public override long BytesSent => _client.BytesSent;

    /// <param name="connectTimeoutMs">For the TCP connect; <paramref name="ct"/> bounds the whole opening.</param>
    public static async Task<UpstreamFeed> OpenAsync(RouteCandidate candidate, string localApp, string streamName, string query, TrafficTotals traffic,
        TcpConnector connector, TlsClientTrust nodeTrust, int connectTimeoutMs, CancellationToken ct)
    {
        var url = candidate.Url;
        var transport = await UpstreamConnection.OpenAsync(url, candidate.Tls ?? nodeTrust, connector, connectTimeoutMs, ct).ConfigureAwait(false);
        var client = await RtmpClient.ConnectAsync(transport, url.RtmpApp(localApp), url.RtmpTcUrl(localApp), ct).ConfigureAwait(false);
        var feed = new RtmpUpstreamFeed(client);
        feed.CountIn(traffic);
        try
        {
            await client.PlayAsync(url.RtmpStreamName(streamName, query), ct).ConfigureAwait(false);
            feed.MediaTimeMs = ParentMediaTime.Read(client.StartStatus?.GetNumber(ParentMediaTime.RtmpProperty), out var problem);
            feed.MediaTimeProblem = problem;
        }
        catch (Exception ex) when (ex is RtmpProtocolException or IOException or InvalidOperationException)
        {
            await feed.DisposeAsync().ConfigureAwait(false);
            throw new UpstreamException($"play refused: {client.LastStatusCode ?? ex.Message}",
                streamMissing: client.LastStatusCode == "NetStream.Play.StreamNotFound");
        }
        catch
        {
            await feed.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return feed;
    }

    public override async ValueTask<FeedMessage?> ReadAsync(CancellationToken ct)
    {
        RtmpMessage? message;
        try
        {
            message = await _client.ReadMediaAsync(ct).ConfigureAwait(false);
        }
        catch (RtmpProtocolException ex)
        {
            throw new UpstreamException($"bad RTMP from upstream: {ex.Message}");
        }
        if (message is not { } m)
        {
            return null;
        }
        return new FeedMessage(m.TypeId, m.Timestamp, m.Payload);
    }

    protected override ValueTask CloseAsync() => _client.DisposeAsync();
}
