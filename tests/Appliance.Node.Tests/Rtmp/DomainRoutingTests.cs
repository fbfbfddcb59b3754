using Appliance.Node.Config;
using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class DomainRoutingTests
{
    private static void TwoDomains(ApplianceConfig config) =>
        config.Domains.Add(new DomainConfig { Name = "tv.example.com", Apps = [new AppConfig { Name = "sports", PublisherGraceMs = 0 }] });

    [Fact]
    public async Task TheTcUrlHostChoosesTheDomain()
    {
        using var server = new TestServer(TwoDomains);
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var client = await RtmpClient.ConnectAsync(connection.ClientStream(), "sports", "rtmp://tv.example.com:1935/sports", ct);

        await client.PublishAsync("final", ct);

        Assert.NotNull(server.Streams.FindForPlay(new StreamKey("tv.example.com", "sports", "final")));
        await client.DisposeAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task AnAppOfAnotherDomainIsRejected()
    {
        using var server = new TestServer(TwoDomains);
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();

        await Assert.ThrowsAsync<RtmpProtocolException>(() =>
            RtmpClient.ConnectAsync(connection.ClientStream(), "sports", "rtmp://elsewhere.example.org/sports", ct));

        await run.WaitAsync(Eventually.Timeout);
    }
}
