using Appliance.Codecs.Flv;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class AggregateTests
{
    /// <summary>FLV tags back to back, each followed by its PreviousTagSize, as an aggregate message carries them.</summary>
    private static byte[] Aggregate(params (FlvTagType Type, uint Timestamp, byte[] Payload)[] tags)
    {
        var output = new MemoryStream();
        foreach (var (type, timestamp, payload) in tags)
        {
            var tag = new byte[FlvWriter.TagLength(payload.Length)];
            FlvWriter.WriteTag(tag, type, timestamp, payload);
            output.Write(tag);
        }
        return output.ToArray();
    }

    [Fact]
    public async Task TheTagsOfAnAggregateBecomeFramesTimedFromTheMessage()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (publisherConnection, publisherRun) = server.StartRtmp();
        var publisher = await RtmpClients.ConnectAsync(publisherConnection, "live", ct);
        await publisher.PublishAsync("cam", ct);
        var key = Payloads.AvcKeyFrame(seed: 4);
        var audio = Payloads.AacRaw(seed: 5);
        var inter = Payloads.AvcInterFrame(seed: 6);

        // Tag times 100, 120, 140 relative to the first; the message says 5000.
        await publisher.SendMediaAsync(RtmpMessageType.Aggregate, 5000,
            Aggregate((FlvTagType.Video, 100, key), (FlvTagType.Audio, 120, audio), (FlvTagType.Video, 140, inter)), ct);
        await Eventually.WaitAsync(() => server.Streams.Streams.Count == 1 && server.Streams.Streams.Single().Stats.Frames == 3, "three frames from the aggregate");
        var (playerConnection, playerRun) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(playerConnection, "live", ct);
        await player.PlayAsync("cam", ct);
        var media = await RtmpClients.ReadMediaAsync(player, 3, ct);

        Assert.Equal([5000u, 5020u, 5040u], media.Select(m => m.Timestamp));
        Assert.Equal(key, media[0].Payload);
        Assert.Equal(audio, media[1].Payload);
        Assert.Equal(inter, media[2].Payload);
        await publisher.DisposeAsync();
        await player.DisposeAsync();
        await Task.WhenAll(publisherRun, playerRun).WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task ATruncatedAggregateClosesThePublisher()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var publisher = await RtmpClients.ConnectAsync(connection, "live", ct);
        await publisher.PublishAsync("cam", ct);
        var aggregate = Aggregate((FlvTagType.Video, 0, Payloads.AvcKeyFrame(100)));

        await publisher.SendMediaAsync(RtmpMessageType.Aggregate, 0, aggregate[..50], ct);
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Contains("aggregate message truncated"), server.Logs.Dump());
        Assert.Empty(server.Streams.Streams);
        await publisher.DisposeAsync();
    }
}
