using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class PlayerStreamEndTests
{
    [Fact]
    public async Task APlayerIsToldThePublisherLeftAndThenDisconnected()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (publisherConnection, publisherRun) = server.StartRtmp();
        var publisher = await RtmpClients.ConnectAsync(publisherConnection, "live", ct);
        await publisher.PublishAsync("cam", ct);
        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcSequenceHeader(), ct);
        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcKeyFrame(), ct);
        var (playerConnection, playerRun) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(playerConnection, "live", ct);
        await player.PlayAsync("cam", ct);
        await RtmpClients.ReadMediaAsync(player, 2, ct);
        var statuses = new List<string>();
        player.StatusReceived += statuses.Add;

        await publisher.DisposeAsync();
        var after = await RtmpClients.ReadMediaAsync(player, ct);

        Assert.Null(after);
        Assert.True(player.StreamEofReceived);
        Assert.Equal(["NetStream.Play.UnpublishNotify"], statuses);
        await Task.WhenAll(publisherRun, playerRun).WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("proto=rtmp-play"), server.Logs.Dump());
        Assert.True(server.Logs.Contains("reason=\"stream ended\""), server.Logs.Dump());
        await player.DisposeAsync();
    }
}
