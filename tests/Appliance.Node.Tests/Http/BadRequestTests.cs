using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class BadRequestTests
{
    [Fact]
    public async Task AGarbageRequestLineGets400AndTheConnectionCloses()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        await client.Connection.SendAsync("\x16\x03\x01 hello there\r\n\r\n");
        var response = await client.Reader.ReadResponseAsync(ct);

        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await client.ExpectClosedAsync(ct));
        Assert.True(server.Logs.Contains("bad request: 400"), server.Logs.Dump());
    }

    [Fact]
    public async Task ARequestLineOver8KBGets414()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        await client.Connection.SendAsync($"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await client.Reader.ReadResponseAsync(ct);

        Assert.Equal(414, response.Status);
        await client.ExpectClosedAsync(ct);
    }

    [Fact]
    public async Task HeadersOver16KBGet431()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        var headers = string.Concat(Enumerable.Range(0, 20).Select(i => $"X-Filler-{i}: {new string('b', 1000)}\r\n"));

        await client.Connection.SendAsync($"GET /api/health HTTP/1.1\r\nHost: x\r\n{headers}\r\n");
        var response = await client.Reader.ReadResponseAsync(ct);

        Assert.Equal(431, response.Status);
        await client.ExpectClosedAsync(ct);
    }

    [Fact]
    public async Task AGetWithABodyGets400()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("GET", "/api/health", ct, "Content-Length: 5\r\n");

        Assert.Equal(400, response.Status);
        await client.ExpectClosedAsync(ct);
    }
}
