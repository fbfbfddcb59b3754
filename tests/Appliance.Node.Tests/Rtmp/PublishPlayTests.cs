using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class PublishPlayTests
{
    private static readonly StreamKey Cam = new("default", "live", "cam");

    [Fact]
    public async Task APlayerGetsMetadataHeadersAndTheKeyFrameExactlyAsPublished()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (publisherConnection, publisherRun) = server.StartRtmp();
        var publisher = await RtmpClients.ConnectAsync(publisherConnection, "live", ct);
        await publisher.PublishAsync("cam", ct);
        var keyFrame = Payloads.AvcKeyFrame(10_000, seed: 9); // several chunks
        await publisher.SendMediaAsync(RtmpMessageType.DataAmf0, 0, Payloads.SetDataFrame(Payloads.OnMetaData()), ct);
        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcSequenceHeader(), ct);
        await publisher.SendMediaAsync(RtmpMessageType.Audio, 0, Payloads.AacSequenceHeader(), ct);
        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, keyFrame, ct);
        await Eventually.WaitAsync(() => server.Streams.FindForPlay(Cam)?.Stats.Frames == 4, "the server to take in four frames");

        var (playerConnection, playerRun) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(playerConnection, "live", ct);
        await player.PlayAsync("cam", ct);
        Assert.Equal("NetStream.Play.Start", player.LastStatusCode);
        var start = await RtmpClients.ReadMediaAsync(player, 4, ct);
        await publisher.SendMediaAsync(RtmpMessageType.Video, 40, Payloads.AvcInterFrame(100, seed: 5), ct);
        var live = await RtmpClients.ReadMediaAsync(player, ct);

        Assert.Equal([RtmpMessageType.DataAmf0, RtmpMessageType.Video, RtmpMessageType.Audio, RtmpMessageType.Video], start.Select(m => m.TypeId));
        // The server keeps onMetaData without the publisher's @setDataFrame wrapper.
        Assert.Equal(Payloads.OnMetaData(), start[0].Payload);
        Assert.Equal(Payloads.AvcSequenceHeader(), start[1].Payload);
        Assert.Equal(Payloads.AacSequenceHeader(), start[2].Payload);
        Assert.Equal(keyFrame, start[3].Payload);
        Assert.NotNull(live);
        Assert.Equal(RtmpMessageType.Video, live.TypeId);
        Assert.Equal(Payloads.AvcInterFrame(100, seed: 5), live.Payload);
        Assert.Equal(40u, live.Timestamp);

        await player.DisposeAsync();
        await publisher.DisposeAsync();
        await Task.WhenAll(playerRun, publisherRun).WaitAsync(Eventually.Timeout);
        Assert.Empty(server.Streams.Streams);
    }

    [Fact]
    public async Task TheStreamsCodecsAreDescribedFromItsSequenceHeaders()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var publisher = await RtmpClients.ConnectAsync(connection, "live", ct);
        await publisher.PublishAsync("cam", ct);

        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcSequenceHeader(), ct);
        await publisher.SendMediaAsync(RtmpMessageType.Audio, 0, Payloads.AacSequenceHeader(), ct);
        await Eventually.WaitAsync(() => server.Streams.FindForPlay(Cam)?.Stats.Frames == 2, "both sequence headers");
        var stats = server.Streams.FindForPlay(Cam)!.Stats;

        Assert.Equal("avc", stats.VideoCodec);
        Assert.Equal((1280, 720), (stats.Width, stats.Height));
        Assert.StartsWith("aac", stats.AudioCodec);
        Assert.Contains("44100 Hz, 2 ch", stats.AudioCodec);
        await publisher.DisposeAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task ASecondPublisherOfALiveStreamIsRefused()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (firstConnection, firstRun) = server.StartRtmp();
        var first = await RtmpClients.ConnectAsync(firstConnection, "live", ct);
        await first.PublishAsync("cam", ct);

        var (secondConnection, secondRun) = server.StartRtmp();
        var second = await RtmpClients.ConnectAsync(secondConnection, "live", ct);
        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => second.PublishAsync("cam", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        await secondRun.WaitAsync(Eventually.Timeout);
        Assert.NotNull(server.Streams.FindForPlay(Cam));
        await first.DisposeAsync();
        await second.DisposeAsync();
        await firstRun.WaitAsync(Eventually.Timeout);
    }
}
