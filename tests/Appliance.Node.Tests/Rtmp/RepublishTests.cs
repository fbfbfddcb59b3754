using Appliance.Streaming.Settings;
using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class RepublishTests
{
    [Fact]
    public async Task APlayerKeepsPlayingAcrossARepublishWithTimestampsThatKeepIncreasing()
    {
        // Frames at their own times from the join on ("keyframe"): the timeline across the republish is what is read.
        using var server = new TestServer(config =>
        {
            config.Domains[0].Apps[0].PublisherGraceMs = 30_000;
            config.Domains[0].Apps[0].JoinMode = JoinModes.KeyFrame;
        });
        var ct = Eventually.Deadline();
        var (firstConnection, firstRun) = server.StartRtmp();
        var first = await RtmpClients.ConnectAsync(firstConnection, "live", ct);
        await first.PublishAsync("cam", ct);
        await first.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcSequenceHeader(), ct);
        await first.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcKeyFrame(), ct);
        await first.SendMediaAsync(RtmpMessageType.Video, 2000, Payloads.AvcInterFrame(), ct);
        var (playerConnection, playerRun) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(playerConnection, "live", ct);
        await player.PlayAsync("cam", ct);
        var before = await RtmpClients.ReadMediaAsync(player, 3, ct);

        await first.DisposeAsync();
        await firstRun.WaitAsync(Eventually.Timeout);
        var (secondConnection, secondRun) = server.StartRtmp();
        var second = await RtmpClients.ConnectAsync(secondConnection, "live", ct);
        await second.PublishAsync("cam", ct);
        await second.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcKeyFrame(seed: 7), ct);
        await second.SendMediaAsync(RtmpMessageType.Video, 40, Payloads.AvcInterFrame(seed: 8), ct);
        var after = await RtmpClients.ReadMediaAsync(player, 2, ct);

        Assert.Equal([0u, 0u, 2000u], before.Select(m => m.Timestamp));
        Assert.Equal([2001u, 2041u], after.Select(m => m.Timestamp));
        Assert.Equal(Payloads.AvcKeyFrame(seed: 7), after[0].Payload);
        Assert.False(playerRun.IsCompleted);

        await second.DisposeAsync();
        await player.DisposeAsync();
        await Task.WhenAll(secondRun, playerRun).WaitAsync(Eventually.Timeout);
        // End it now rather than when the grace runs out, so no media outlives the test.
        server.Streams.FindForPlay(new StreamKey("default", "live", "cam"))?.End();
        Assert.Empty(server.Streams.Streams);
    }
}
