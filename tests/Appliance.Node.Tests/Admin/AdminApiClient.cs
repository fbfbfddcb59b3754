using System.Text.Json;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Admin;

/// <summary>A connection to the admin listener of a <see cref="TestServer"/> whose command API has a token.</summary>
internal sealed class AdminApiClient
{
    public const string Token = "0123456789abcdef-test-token";

    public AdminApiClient(TestServer server, string? token = Token)
    {
        Node = new TestNodeAdmin(server);
        Http = new HttpClientSide(server, admin: true, Node);
        TokenToSend = token;
    }

    /// <summary>A node whose command API is on (admin.token set).</summary>
    public static TestServer Server(string token = Token) => new(config => config.Admin.Token = token);

    public TestNodeAdmin Node { get; }

    public HttpClientSide Http { get; }

    /// <summary>The bearer token each request carries; null sends no Authorization header.</summary>
    public string? TokenToSend { get; set; }

    public Task<HttpResponse> RequestAsync(string method, string target, string extraHeaders = "") =>
        Http.RequestAsync(method, target, Eventually.Deadline(),
            (TokenToSend is null ? "" : $"Authorization: Bearer {TokenToSend}\r\n") + extraHeaders);

    /// <summary>An HTTP-FLV viewer of <paramref name="path"/>, once the node lists its session as http-flv.</summary>
    public static async Task<HttpClientSide> OpenFlvViewerAsync(TestServer server, string path = "/live/cam.flv")
    {
        int Viewers() => server.Sessions.Sessions.Count(s => s.Protocol == "http-flv");
        var before = Viewers();
        var viewer = new HttpClientSide(server);
        Assert.Equal(200, (await viewer.RequestAsync("GET", path, Eventually.Deadline())).Status);
        // The response head goes out just before the session names its protocol.
        await Eventually.WaitAsync(() => Viewers() > before, "the viewer's session is listed as http-flv");
        return viewer;
    }

    public static JsonElement Json(HttpResponse response)
    {
        Assert.Equal("application/json", response.Header("Content-Type"));
        using var document = JsonDocument.Parse(response.Body);
        return document.RootElement.Clone();
    }

    /// <summary>The "error" of a failure reply, after checking that "ok" is false.</summary>
    public static string Error(HttpResponse response)
    {
        var json = Json(response);
        Assert.False(json.GetProperty("ok").GetBoolean());
        return json.GetProperty("error").GetString()!;
    }
}
