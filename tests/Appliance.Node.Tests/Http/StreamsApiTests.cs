using System.Text.Json;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class StreamsApiTests
{
    [Fact]
    public async Task TheStreamsListingIsJsonNamingEveryLiveStream()
    {
        using var server = new TestServer();
        var frames = new Frames();
        server.PublishLive("cam", frames);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", "/api/streams", Eventually.Deadline());

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        using var json = JsonDocument.Parse(response.Body);
        var stream = Assert.Single(json.RootElement.GetProperty("streams").EnumerateArray());
        Assert.Equal("default", stream.GetProperty("domain").GetString());
        Assert.Equal("live", stream.GetProperty("app").GetString());
        Assert.Equal("cam", stream.GetProperty("name").GetString());
        Assert.Equal(5, stream.GetProperty("framesIn").GetInt64());
        Assert.Equal(0, stream.GetProperty("viewers").GetProperty("flv").GetInt32());
    }

    [Fact]
    public async Task WithNoStreamsTheListingIsEmpty()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", "/", Eventually.Deadline());

        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(0, json.RootElement.GetProperty("streams").GetArrayLength());
    }
}
