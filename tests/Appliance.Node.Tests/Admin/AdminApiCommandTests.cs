using Appliance.Control.Contract;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Admin;

/// <summary>Each command of the API with its token: what it answers and what it does to the node.</summary>
public sealed class AdminApiCommandTests
{
    private const string Publisher = "rtmp-publish 203.0.113.7:50432";

    [Fact]
    public async Task Streams_lists_each_live_stream_with_its_publisher()
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames(), Publisher);
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("GET", "/api/v1/streams");

        Assert.Equal(200, response.Status);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var json = AdminApiClient.Json(response);
        Assert.True(json.GetProperty("ok").GetBoolean());
        var stream = Assert.Single(json.GetProperty("streams").EnumerateArray());
        Assert.Equal("default/live/cam", stream.GetProperty("key").GetString());
        Assert.Equal("publisher", stream.GetProperty("sourceKind").GetString());
        Assert.Equal(Publisher, stream.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Sessions_lists_open_connections_filtered_by_the_query()
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var viewer = await AdminApiClient.OpenFlvViewerAsync(server);
        var client = new AdminApiClient(server);

        var all = AdminApiClient.Json(await client.RequestAsync("GET", "/api/v1/sessions")).GetProperty("sessions");
        var flv = AdminApiClient.Json(await client.RequestAsync("GET", "/api/v1/sessions?protocol=http-flv&stream=live%2Fcam")).GetProperty("sessions");
        var other = AdminApiClient.Json(await client.RequestAsync("GET", "/api/v1/sessions?stream=live/other")).GetProperty("sessions");
        var elsewhere = AdminApiClient.Json(await client.RequestAsync("GET", "/api/v1/sessions?client=198.51.100.")).GetProperty("sessions");

        Assert.Equal(["admin", "http-flv"], all.EnumerateArray().Select(s => s.GetProperty("protocol").GetString()).Order());
        var session = Assert.Single(flv.EnumerateArray());
        Assert.Equal("default/live/cam", session.GetProperty("stream").GetString());
        Assert.Equal(0, other.GetArrayLength());
        Assert.Equal(0, elsewhere.GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/sessions?user=x", "unknown parameter 'user'; this endpoint takes: stream, protocol, client")]
    [InlineData("/api/v1/streams?stream=live/cam", "unknown parameter 'stream'; this endpoint takes: none")]
    [InlineData("/api/v1/routes?x", "unknown parameter 'x'; this endpoint takes: none")]
    public async Task An_unknown_query_parameter_answers_400(string target, string error)
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("GET", target);

        Assert.Equal(400, response.Status);
        Assert.Equal(error, AdminApiClient.Error(response));
    }

    [Fact]
    public async Task Kick_closes_exactly_that_session_and_logs_who_asked()
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var kicked = await AdminApiClient.OpenFlvViewerAsync(server);
        var client = new AdminApiClient(server);
        var id = AdminApiClient.Json(await client.RequestAsync("GET", "/api/v1/sessions?protocol=http-flv")).GetProperty("sessions")[0].GetProperty("id").GetInt64();

        var response = await client.RequestAsync("POST", $"/api/v1/sessions/{id}/kick");

        Assert.Equal(200, response.Status);
        var json = AdminApiClient.Json(response);
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal($"session {id} (http-flv 127.0.0.1:40000 default/live/cam) kicked", json.GetProperty("message").GetString());
        await kicked.ExpectClosedAsync(Eventually.Deadline());
        Assert.True(server.Logs.Contains($"admin api: kick {id} from 127.0.0.1:40000 -> session {id} (http-flv"), server.Logs.Dump());
        Assert.Equal(200, (await client.RequestAsync("GET", "/api/v1/streams")).Status);
    }

    [Theory]
    [InlineData("999999", 404, "no session 999999")]
    [InlineData("abc", 400, "'abc' is not a session id (a number, from /api/v1/sessions)")]
    [InlineData("0", 400, "'0' is not a session id (a number, from /api/v1/sessions)")]
    [InlineData("-5", 400, "'-5' is not a session id (a number, from /api/v1/sessions)")]
    [InlineData("99999999999999999999", 400, "'99999999999999999999' is not a session id (a number, from /api/v1/sessions)")]
    public async Task Kick_of_no_session_says_why(string id, int status, string error)
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("POST", $"/api/v1/sessions/{id}/kick");

        Assert.Equal(status, response.Status);
        Assert.Equal(error, AdminApiClient.Error(response));
    }

    [Theory]
    [InlineData("/api/v1/streams/live/cam/drop")]
    [InlineData("/api/v1/streams/default/live/cam/drop")]
    public async Task Drop_ends_the_stream_and_closes_its_viewers_only(string path)
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        server.PublishLive("other", new Frames());
        var viewer = await AdminApiClient.OpenFlvViewerAsync(server);
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("POST", path);

        Assert.Equal(200, response.Status);
        Assert.Equal("dropped default/live/cam: 1 connection(s) closed, 0 HLS session(s) ended", AdminApiClient.Json(response).GetProperty("message").GetString());
        await viewer.ExpectClosedAsync(Eventually.Deadline());
        Assert.Equal(["default/live/other"], server.Streams.Streams.Select(s => s.Key.ToString()));
        Assert.True(server.Logs.Contains("admin api: drop "), server.Logs.Dump());
    }

    [Fact]
    public async Task Drop_of_no_live_stream_answers_404()
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("POST", "/api/v1/streams/live/none/drop");

        Assert.Equal(404, response.Status);
        Assert.Equal("no live stream 'live/none'", AdminApiClient.Error(response));
        Assert.Single(server.Streams.Streams);
    }

    [Fact]
    public async Task Reload_answers_what_the_reload_did()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("POST", "/api/v1/reload");

        Assert.Equal(200, response.Status);
        Assert.Equal("reloaded /etc/appliance/appliance.json", AdminApiClient.Json(response).GetProperty("message").GetString());
        Assert.Equal(1, client.Node.Reloads);
        Assert.True(server.Logs.Contains("admin api: reload from 127.0.0.1:40000 -> reloaded /etc/appliance/appliance.json"), server.Logs.Dump());
    }

    [Fact]
    public async Task A_refused_reload_answers_409_with_the_reason()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);
        client.Node.ReloadReply = ControlReply.Failure("reload refused, the running config stays: config: $.rtmp.chunkSize: must be between 128 and 65536");

        var response = await client.RequestAsync("POST", "/api/v1/reload");

        Assert.Equal(409, response.Status);
        Assert.Equal("reload refused, the running config stays: config: $.rtmp.chunkSize: must be between 128 and 65536", AdminApiClient.Error(response));
    }

    [Fact]
    public async Task Routes_lists_the_upstream_candidates()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);
        client.Node.RouteList.Add(new RouteReport { Domain = "default", App = "live", Url = "rtmp://upper.example/live", Priority = 1, Streams = ["cam"] });

        var response = await client.RequestAsync("GET", "/api/v1/routes");

        Assert.Equal(200, response.Status);
        var route = Assert.Single(AdminApiClient.Json(response).GetProperty("routes").EnumerateArray());
        Assert.Equal("rtmp://upper.example/live", route.GetProperty("url").GetString());
        Assert.Equal(["cam"], route.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));
    }
}
