using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>The appliance's own RTMP client as a viewer.</summary>
public sealed class RtmpViewer : IMediaSource
{
    private readonly RtmpClient _client;

    private RtmpViewer(RtmpClient client) => _client = client;

    public RtmpClient Client => _client;

    public static async Task<RtmpViewer> PlayAsync(int port, string app, string stream, CancellationToken ct)
    {
        var client = await RtmpClients.ConnectAsync(port, app, ct);
        try
        {
            await client.PlayAsync(stream, ct);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return new RtmpViewer(client);
    }

    public async Task<MediaMessage?> ReadAsync(CancellationToken ct)
    {
        var message = await _client.ReadMediaAsync(ct);
        if (message is not { } m)
        {
            return null;
        }
        try
        {
            return new MediaMessage(m.TypeId, m.Timestamp, m.Payload.Span.ToArray());
        }
        finally
        {
            m.Payload.Release();
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
