using Appliance.Node.Config;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Admin;

/// <summary>Who may use the command API, and how it answers what is not one of its endpoints.</summary>
public sealed class AdminApiAccessTests
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/streams" },
        { "GET", "/api/v1/sessions" },
        { "GET", "/api/v1/routes" },
        { "POST", "/api/v1/reload" },
        { "POST", "/api/v1/sessions/1/kick" },
        { "POST", "/api/v1/streams/live/cam/drop" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_every_endpoint_answers_401_asking_for_one_and_does_nothing(string method, string path)
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var client = new AdminApiClient(server, token: null);

        var refused = await client.RequestAsync(method, path);
        client.TokenToSend = AdminApiClient.Token;
        var next = await client.RequestAsync("GET", "/api/v1/streams");

        Assert.Equal(401, refused.Status);
        Assert.Equal("Bearer realm=\"appliance\"", refused.Header("WWW-Authenticate"));
        Assert.Contains("bearer token is required", AdminApiClient.Error(refused), StringComparison.Ordinal);
        Assert.Equal(0, client.Node.Reloads);
        Assert.Single(server.Streams.Streams);
        Assert.True(server.Logs.Contains("refused: no bearer token"), server.Logs.Dump());
        Assert.Equal(200, next.Status);
    }

    [Fact]
    public async Task Guessing_tokens_is_refused_every_time_but_logged_once_per_interval_not_once_per_guess()
    {
        using var server = AdminApiClient.Server();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var guess = 0; guess < 50; guess++)
        {
            var client = new AdminApiClient(server, token: guess % 2 == 0 ? $"guess-{guess:D4}-not-the-token" : null);
            Assert.Equal(401, (await client.RequestAsync("GET", "/api/v1/streams")).Status);
        }

        var refusals = server.Logs.Lines.Count(l => l.Message.Contains("admin api:", StringComparison.Ordinal) && l.Message.Contains("refused", StringComparison.Ordinal));
        // One full line, and one more (a count line, then the next full one) per 5 s interval the guesses took.
        var allowed = 1 + 2 * (int)(started.ElapsedMilliseconds / 5_000);
        Assert.True(refusals >= 1 && refusals <= allowed, $"{refusals} refusal lines for 50 guesses in {started.ElapsedMilliseconds} ms:\n{server.Logs.Dump()}");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_wrong_token_answers_401_invalid_token_and_does_nothing(string method, string path)
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var client = new AdminApiClient(server, token: "not-the-token-of-this-node");

        var refused = await client.RequestAsync(method, path);

        Assert.Equal(401, refused.Status);
        Assert.Equal("Bearer realm=\"appliance\", error=\"invalid_token\"", refused.Header("WWW-Authenticate"));
        Assert.Equal("wrong bearer token", AdminApiClient.Error(refused));
        Assert.Equal(0, client.Node.Reloads);
        Assert.Single(server.Streams.Streams);
        Assert.True(server.Logs.Contains("refused: wrong bearer token"), server.Logs.Dump());
    }

    [Theory]
    [InlineData("0123456789abcdef-test-tokeN")]
    [InlineData("0123456789abcdef-test-toke")]
    [InlineData("0123456789abcdef-test-token0")]
    [InlineData("")]
    public async Task A_token_one_character_off_is_wrong(string token)
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server, token);

        var response = await client.RequestAsync("GET", "/api/v1/streams");

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task Another_authorization_scheme_is_no_bearer_token_and_the_scheme_name_is_case_insensitive()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server, token: null);

        var basic = await client.RequestAsync("GET", "/api/v1/streams", $"Authorization: Basic {AdminApiClient.Token}\r\n");
        var lower = await client.RequestAsync("GET", "/api/v1/streams", $"Authorization: bearer {AdminApiClient.Token}\r\n");

        Assert.Equal(401, basic.Status);
        Assert.Equal("Bearer realm=\"appliance\"", basic.Header("WWW-Authenticate"));
        Assert.Equal(200, lower.Status);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task With_no_admin_token_configured_the_command_API_is_off(string method, string path)
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync(method, path);

        Assert.Equal(404, response.Status);
        Assert.Equal("the command API is off: set admin.token to turn it on", AdminApiClient.Error(response));
        Assert.Equal(0, client.Node.Reloads);
        Assert.Single(server.Streams.Streams);
    }

    [Fact]
    public async Task The_public_listener_has_no_command_API()
    {
        using var server = AdminApiClient.Server();
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", "/api/v1/streams", Eventually.Deadline(), $"Authorization: Bearer {AdminApiClient.Token}\r\n");

        Assert.Equal(404, response.Status);
        Assert.Equal("not found\n", response.BodyText);
    }

    [Theory]
    [InlineData("GET", "/api/v1/reload", "POST")]
    [InlineData("HEAD", "/api/v1/reload", "POST")]
    [InlineData("GET", "/api/v1/sessions/1/kick", "POST")]
    [InlineData("DELETE", "/api/v1/streams/live/cam/drop", "POST")]
    [InlineData("POST", "/api/v1/streams", "GET, HEAD")]
    [InlineData("PUT", "/api/v1/sessions", "GET, HEAD")]
    [InlineData("OPTIONS", "/api/v1/routes", "GET, HEAD")]
    public async Task Another_method_answers_405_with_the_allowed_ones(string method, string path, string allow)
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync(method, path);
        var next = await client.RequestAsync("GET", "/api/v1/routes");

        Assert.Equal(405, response.Status);
        Assert.Equal(allow, response.Header("Allow"));
        if (method != "HEAD")
        {
            Assert.Equal($"{method} is not allowed here; this endpoint takes {allow}", AdminApiClient.Error(response));
        }
        Assert.Equal(0, client.Node.Reloads);
        Assert.Single(server.Streams.Streams);
        Assert.Equal(200, next.Status);
    }

    [Theory]
    [InlineData("GET", "/api/v1")]
    [InlineData("GET", "/api/v1/")]
    [InlineData("GET", "/api/v1/status")]
    [InlineData("GET", "/api/v1/streams/")]
    [InlineData("GET", "/api/v1/streams/live/cam")]
    [InlineData("POST", "/api/v1/sessions//kick")]
    [InlineData("POST", "/api/v1/sessions/1")]
    [InlineData("POST", "/api/v1/sessions/1/kick/now")]
    [InlineData("POST", "/api/v1/streams/cam/drop")]
    [InlineData("POST", "/api/v1/streams/a/b/c/d/drop")]
    [InlineData("POST", "/api/v1/streams/live//drop")]
    [InlineData("POST", "/api/v1/reload/now")]
    public async Task An_unknown_path_answers_404(string method, string path)
    {
        using var server = AdminApiClient.Server();
        server.PublishLive("cam", new Frames());
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync(method, path);

        Assert.Equal(404, response.Status);
        Assert.StartsWith("no endpoint /api/v1", AdminApiClient.Error(response), StringComparison.Ordinal);
        Assert.Single(server.Streams.Streams);
    }

    [Fact]
    public async Task Without_a_token_an_unknown_path_answers_401_so_the_API_tells_nothing_before_the_token()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server, token: null);

        var response = await client.RequestAsync("GET", "/api/v1/nothing");

        Assert.Equal(401, response.Status);
    }

    [Theory]
    [InlineData("Content-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    public async Task A_request_body_answers_413_and_closes_the_connection(string framing)
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("POST", "/api/v1/reload", framing);

        Assert.Equal(413, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Contains("takes no request body", AdminApiClient.Error(response), StringComparison.Ordinal);
        await client.Http.ExpectClosedAsync(Eventually.Deadline());
        Assert.Equal(0, client.Node.Reloads);
        Assert.True(server.Logs.Contains("refused: a request body"), server.Logs.Dump());
    }

    [Fact]
    public async Task An_empty_body_is_no_body()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);

        var response = await client.RequestAsync("POST", "/api/v1/reload", "Content-Length: 0\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(1, client.Node.Reloads);
    }

    [Fact]
    public async Task A_reloaded_token_holds_at_once_on_an_open_connection()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);
        var before = await client.RequestAsync("GET", "/api/v1/streams");
        var rotated = new ApplianceConfig();
        rotated.Admin.Token = "the-next-token-0123456789";

        server.Context.Apply(rotated);
        var old = await client.RequestAsync("GET", "/api/v1/streams");
        client.TokenToSend = "the-next-token-0123456789";
        var current = await client.RequestAsync("GET", "/api/v1/streams");

        Assert.Equal(200, before.Status);
        Assert.Equal(401, old.Status);
        Assert.Equal(200, current.Status);
    }

    [Fact]
    public async Task Head_answers_the_head_of_GET_without_its_body()
    {
        using var server = AdminApiClient.Server();
        var client = new AdminApiClient(server);
        client.Node.RouteList.Add(new Appliance.Control.Contract.RouteReport { Domain = "default", App = "live", Url = "rtmp://upper.example/live" });

        var head = await client.RequestAsync("HEAD", "/api/v1/routes");
        var get = await client.RequestAsync("GET", "/api/v1/routes");

        Assert.Equal(200, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Equal("no-store", get.Header("Cache-Control"));
    }
}
