using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Rtmp;

public class TakeoverTests
{
    [Fact]
    public async Task WithTakeoverASecondPublisherKicksTheFirst()
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].OnPublisherConflict = "takeover");
        var ct = Eventually.Deadline();
        var (firstConnection, firstRun) = server.StartRtmp();
        var first = await RtmpClients.ConnectAsync(firstConnection, "live", ct);
        await first.PublishAsync("cam", ct);

        var (secondConnection, secondRun) = server.StartRtmp();
        var second = await RtmpClients.ConnectAsync(secondConnection, "live", ct);
        await second.PublishAsync("cam", ct);
        await firstRun.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Contains("another publisher took over the stream"), server.Logs.Dump());
        Assert.False(secondRun.IsCompleted);
        Assert.NotNull(server.Streams.FindForPlay(new("default", "live", "cam")));
        await second.DisposeAsync();
        await first.DisposeAsync();
        await secondRun.WaitAsync(Eventually.Timeout);
    }
}
