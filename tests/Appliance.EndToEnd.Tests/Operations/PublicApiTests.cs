using System.Net;
using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>
/// The stream listing and the node status are for operators: the admin listener serves them; the
/// public port only when http.publicApi is on, and then without publishers' addresses.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task By_default_the_public_port_answers_404_and_the_admin_listener_lists_streams_with_their_publishers()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);

        foreach (var path in new[] { "api/streams", "api/status", "" })
        {
            using var response = await Http.GetAsync(daemon.HttpUrl(path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"/{path} on the public port answered {(int)response.StatusCode}");
        }
        var admin = await ListedSourceAsync(daemon.AdminUrl("api/streams"));
        using var status = await Http.GetAsync(daemon.AdminUrl("api/status"));

        Assert.StartsWith("rtmp-publish 127.0.0.1:", admin, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task With_http_publicApi_the_public_port_answers_without_publisher_addresses()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: "\"http\": { \"listen\": \"127.0.0.1:0\", \"publicApi\": true },");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);

        var listing = await Http.GetStringAsync(daemon.HttpUrl("api/streams"));
        var root = await Http.GetStringAsync(daemon.HttpUrl(""));
        using var status = JsonDocument.Parse(await Http.GetStringAsync(daemon.HttpUrl("api/status")));
        var admin = await ListedSourceAsync(daemon.AdminUrl("api/streams"));

        Assert.Equal("rtmp-publish", SourceOf(listing));
        Assert.Equal("rtmp-publish", SourceOf(root));
        Assert.DoesNotContain("127.0.0.1", listing, StringComparison.Ordinal);
        Assert.Equal(1, status.RootElement.GetProperty("streams").GetInt32());
        Assert.StartsWith("rtmp-publish 127.0.0.1:", admin, StringComparison.Ordinal);
    }

    private static async Task<string?> ListedSourceAsync(string url) => SourceOf(await Http.GetStringAsync(url));

    private static string? SourceOf(string listing)
    {
        using var json = JsonDocument.Parse(listing);
        var stream = Assert.Single(json.RootElement.GetProperty("streams").EnumerateArray());
        Assert.Equal("cam", stream.GetProperty("name").GetString());
        return stream.GetProperty("source").GetString();
    }
}
