using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class KeepAliveTests
{
    [Fact]
    public async Task A404KeepsTheConnectionForTheNextRequest()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var missing = await client.RequestAsync("GET", "/live/x.flv", ct);
        var next = await client.RequestAsync("GET", "/api/health", ct);

        Assert.Equal(404, missing.Status);
        Assert.Equal("keep-alive", missing.Header("Connection"));
        Assert.Equal(200, next.Status);
        Assert.False(client.Run.IsCompleted);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task PipelinedRequestsAreAnsweredInOrder()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        await client.Connection.SendAsync(
            "GET /live/a.flv HTTP/1.1\r\nHost: x\r\n\r\nGET /api/health HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var first = await client.Reader.ReadResponseAsync(ct);
        var second = await client.Reader.ReadResponseAsync(ct);
        var third = await client.Reader.ReadResponseAsync(ct);

        Assert.Equal([404, 200, 404], new[] { first.Status, second.Status, third.Status });
        Assert.Equal("close", third.Header("Connection"));
        Assert.Empty(await client.ExpectClosedAsync(ct));
    }
}
