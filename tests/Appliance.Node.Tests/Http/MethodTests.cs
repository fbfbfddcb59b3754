using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class MethodTests
{
    [Fact]
    public async Task PostGets405WithTheAllowedMethods()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("POST", "/live/cam.flv", ct, "Content-Length: 0\r\n");

        Assert.Equal(405, response.Status);
        Assert.Equal("GET, HEAD, OPTIONS", response.Header("Allow"));
        Assert.Equal("method not allowed\n", response.BodyText);
        await client.ExpectClosedAsync(ct);
    }

    [Fact]
    public async Task OptionsGets204WithCorsHeadersAndKeepsTheConnection()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("OPTIONS", "/live/cam.flv", ct, "Origin: https://player.example\r\nAccess-Control-Request-Method: GET\r\n");
        var next = await client.RequestAsync("GET", "/api/health", ct);

        Assert.Equal(204, response.Status);
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("GET, HEAD, OPTIONS", response.Header("Access-Control-Allow-Methods"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal(200, next.Status);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
    }
}
