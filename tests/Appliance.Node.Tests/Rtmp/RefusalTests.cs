using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class RefusalTests
{
    public static TheoryData<string> BadNames => ["", new string('a', 300), "a/b"];

    [Fact]
    public async Task ConnectToAnUnknownAppIsRejected()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();

        var rejected = await Assert.ThrowsAsync<RtmpProtocolException>(() => RtmpClients.ConnectAsync(connection, "nosuchapp", ct));

        Assert.Contains("Connection rejected.", rejected.Message);
        await run.WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("unknown app 'nosuchapp'"), server.Logs.Dump());
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task PublishingUnderABadNameIsRefusedWithBadName(string name)
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var client = await RtmpClients.ConnectAsync(connection, "live", ct);

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync(name, ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        await run.WaitAsync(Eventually.Timeout);
        Assert.Empty(server.Streams.Streams);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task PlayingAStreamThatIsNotThereIsStreamNotFound()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var client = await RtmpClients.ConnectAsync(connection, "live", ct);

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PlayAsync("nothing", ct));

        Assert.StartsWith("NetStream.Play.StreamNotFound", refused.Message, StringComparison.Ordinal);
        await run.WaitAsync(Eventually.Timeout);
        await client.DisposeAsync();
    }
}
