using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Rtmp;

/// <summary>The play replies name the stream, whether their text fits the session's stack buffer or not.</summary>
public class PlayStatusTextTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(200)] // the default longest name: fits the buffer
    [InlineData(1000)] // does not: the text becomes a string of its own
    public async Task APlayerIsToldTheNameItPlays(int length)
    {
        var name = new string('n', length);
        using var server = new TestServer(config => config.Domains[0].Apps[0].MaxStreamNameLength = 1024);
        server.PublishLive(name, new Frames());
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(connection, "live", ct);
        var codes = new List<string>();
        player.StatusReceived += codes.Add;

        await player.PlayAsync(name, ct);

        Assert.Equal(["NetStream.Play.Reset", "NetStream.Play.Start"], codes);
        Assert.Equal($"Started playing {name}.", player.LastStatusDescription);
        await player.DisposeAsync();
        await run.WaitAsync(Eventually.Timeout);
    }
}
