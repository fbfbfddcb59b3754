using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

internal sealed record MediaMessage(byte TypeId, uint Timestamp, byte[] Payload);

/// <summary>The real RTMP client over an in-memory session.</summary>
internal static class RtmpClients
{
    public static Task<RtmpClient> ConnectAsync(PipeConnection connection, string app, CancellationToken ct) =>
        RtmpClient.ConnectAsync(connection.ClientStream(), app, $"rtmp://localhost/{app}", ct);

    /// <summary>The next audio, video or data message other than |RtmpSampleAccess, or null at the end.</summary>
    public static async Task<MediaMessage?> ReadMediaAsync(RtmpClient client, CancellationToken ct)
    {
        while (true)
        {
            if (await client.ReadMediaAsync(ct) is not { } message)
            {
                return null;
            }
            var media = new MediaMessage(message.TypeId, message.Timestamp, message.Payload.Span.ToArray());
            message.Payload.Release();
            if (!IsSampleAccess(media))
            {
                return media;
            }
        }
    }

    public static async Task<List<MediaMessage>> ReadMediaAsync(RtmpClient client, int count, CancellationToken ct)
    {
        var all = new List<MediaMessage>();
        while (all.Count < count)
        {
            all.Add(await ReadMediaAsync(client, ct) ?? throw new Xunit.Sdk.XunitException($"connection ended after {all.Count} media messages"));
        }
        return all;
    }

    private static bool IsSampleAccess(MediaMessage message)
    {
        if (message.TypeId != RtmpMessageType.DataAmf0)
        {
            return false;
        }
        var offset = 0;
        return Amf0Reader.ReadValue(message.Payload, ref offset) is { Kind: Amf0Kind.String, String: "|RtmpSampleAccess" };
    }
}
