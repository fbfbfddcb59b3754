using System.Text.Json;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class StreamsApiTests
{
    private const string Publisher = "rtmp-publish 203.0.113.7:50432";

    [Fact]
    public async Task TheAdminListingIsJsonNamingEveryLiveStreamAndItsPublisher()
    {
        using var server = new TestServer();
        var frames = new Frames();
        server.PublishLive("cam", frames, Publisher);
        var client = new HttpClientSide(server, admin: true);

        var response = await client.RequestAsync("GET", "/api/streams", Eventually.Deadline());

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        using var json = JsonDocument.Parse(response.Body);
        var stream = Assert.Single(json.RootElement.GetProperty("streams").EnumerateArray());
        Assert.Equal("default", stream.GetProperty("domain").GetString());
        Assert.Equal("live", stream.GetProperty("app").GetString());
        Assert.Equal("cam", stream.GetProperty("name").GetString());
        Assert.Equal(Publisher, stream.GetProperty("source").GetString());
        Assert.Equal(5, stream.GetProperty("framesIn").GetInt64());
        Assert.Equal(0, stream.GetProperty("viewers").GetProperty("flv").GetInt32());
    }

    [Fact]
    public async Task WithNoStreamsTheListingIsEmpty()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server, admin: true);

        var response = await client.RequestAsync("GET", "/", Eventually.Deadline());

        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(0, json.RootElement.GetProperty("streams").GetArrayLength());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/streams")]
    public async Task ThePublicListenerDoesNotListStreamsByDefault(string path)
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames(), Publisher);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", path, Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.DoesNotContain("cam", response.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/streams")]
    public async Task WithPublicApiThePublicListingShowsTheSourceKindButNotThePublisherAddress(string path)
    {
        using var server = new TestServer(config => config.Http.PublicApi = true);
        server.PublishLive("cam", new Frames(), Publisher);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", path, Eventually.Deadline());

        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(response.Body);
        var stream = Assert.Single(json.RootElement.GetProperty("streams").EnumerateArray());
        Assert.Equal("cam", stream.GetProperty("name").GetString());
        Assert.Equal("rtmp-publish", stream.GetProperty("source").GetString());
        Assert.DoesNotContain("203.0.113.7", response.BodyText, StringComparison.Ordinal);
    }
}
