using Appliance.Auth.Tokens;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Appliance.Auth;
using Appliance.Auth.Callback;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public sealed class CallbackCheckerTests : IDisposable
{
    private readonly ManualClock _clock = new(1_700_000_000);
    private readonly HttpClient _http = CallbackChecker.CreateHttpClient();

    public void Dispose() => _http.Dispose();

    private CallbackChecker Checker(Uri url, int timeoutMs = 5000, int cacheSeconds = 10) =>
        new(url, timeoutMs, cacheSeconds, _clock, _http);

    private static AuthRequest Request(string query = "token=abc&x=1") => new()
    {
        Action = AuthAction.Publish,
        Protocol = AuthProtocol.Rtmp,
        Domain = "push.example.com",
        App = "live",
        Stream = "cam\"1",
        Path = "/live/cam\"1",
        Query = query,
        ClientIp = IPAddress.Parse("2001:db8::7"),
    };

    [Fact]
    public async Task A2xxAnswerAllowsAndTheBodyDescribesTheRequest()
    {
        await using var server = new CallbackServer { Status = 204 };

        var result = await Checker(server.Url).CheckAsync(Request(), Eventually.Deadline());

        Assert.True(result.Allowed, result.ToString());
        Assert.True(server.Bodies.TryDequeue(out var body));
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("publish", root.GetProperty("action").GetString());
        Assert.Equal("push.example.com", root.GetProperty("domain").GetString());
        Assert.Equal("live", root.GetProperty("app").GetString());
        Assert.Equal("cam\"1", root.GetProperty("stream").GetString());
        Assert.Equal("2001:db8::7", root.GetProperty("clientIp").GetString());
        Assert.Equal("rtmp", root.GetProperty("protocol").GetString());
        Assert.Equal("token=abc&x=1", root.GetProperty("params").GetString());
    }

    [Theory]
    [InlineData(403)]
    [InlineData(401)]
    [InlineData(302)]
    [InlineData(500)]
    public async Task AnyOtherAnswerDenies(int status)
    {
        await using var server = new CallbackServer { Status = status };

        var result = await Checker(server.Url).CheckAsync(Request(), Eventually.Deadline());

        Assert.Equal(AuthRefusal.CallbackDenied, result.Reason);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeoutDenies()
    {
        await using var server = new CallbackServer { Silent = true };

        var result = await Checker(server.Url, timeoutMs: 200).CheckAsync(Request(), Eventually.Deadline());

        Assert.Equal(AuthRefusal.CallbackTimeout, result.Reason);
    }

    [Fact]
    public async Task AnUnreachableEndpointDenies()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Checker(new Uri($"http://127.0.0.1:{port}/")).CheckAsync(Request(), Eventually.Deadline());

        Assert.Equal(AuthRefusal.CallbackFailed, result.Reason);
    }

    [Fact]
    public async Task TheCallersCancellationDeniesWithoutThrowing()
    {
        await using var server = new CallbackServer { Silent = true };
        using var cancel = new CancellationTokenSource();

        var pending = Checker(server.Url).CheckAsync(Request(), cancel.Token);
        await Eventually.WaitAsync(() => !server.Bodies.IsEmpty, "the callback to be asked");
        cancel.Cancel();
        var result = await pending;

        Assert.Equal(AuthRefusal.CallbackFailed, result.Reason);
    }

    [Fact]
    public async Task AllowedAnswersAreCachedByActionStreamAndParams()
    {
        await using var server = new CallbackServer();
        var checker = Checker(server.Url, cacheSeconds: 10);

        Assert.True((await checker.CheckAsync(Request(), Eventually.Deadline())).Allowed);
        var cached = checker.CheckAsync(Request(), Eventually.Deadline());
        Assert.True(cached.IsCompletedSuccessfully, "a cached answer needs no round trip");
        Assert.True((await cached).Allowed);
        Assert.Single(server.Bodies);

        Assert.True((await checker.CheckAsync(Request("token=other"), Eventually.Deadline())).Allowed);
        Assert.Equal(2, server.Bodies.Count);

        _clock.UnixSeconds += 10;
        Assert.True((await checker.CheckAsync(Request(), Eventually.Deadline())).Allowed);
        Assert.Equal(3, server.Bodies.Count);
    }

    [Fact]
    public async Task RefusalsAreNotCached()
    {
        await using var server = new CallbackServer { Status = 403 };
        var checker = Checker(server.Url);

        Assert.False((await checker.CheckAsync(Request(), Eventually.Deadline())).Allowed);
        server.Status = 200;
        Assert.True((await checker.CheckAsync(Request(), Eventually.Deadline())).Allowed);
        Assert.Equal(2, server.Bodies.Count);
    }

    [Fact]
    public async Task ZeroCacheSecondsAsksEveryTime()
    {
        await using var server = new CallbackServer();
        var checker = Checker(server.Url, cacheSeconds: 0);

        await checker.CheckAsync(Request(), Eventually.Deadline());
        await checker.CheckAsync(Request(), Eventually.Deadline());

        Assert.Equal(2, server.Bodies.Count);
    }

    [Fact]
    public async Task AHugeQueryIsRefusedWithoutCalling()
    {
        await using var server = new CallbackServer();

        var result = await Checker(server.Url).CheckAsync(Request(new string('a', 100_000)), Eventually.Deadline());

        Assert.Equal(AuthRefusal.Malformed, result.Reason);
        Assert.Empty(server.Bodies);
    }

    [Fact]
    public async Task ThePolicyRunsTheCallbackAfterItsOwnRules()
    {
        await using var server = new CallbackServer();
        var config = new Appliance.Auth.Config.AuthConfig
        {
            Publish = new Appliance.Auth.Config.AuthRule { Scheme = "callback", CallbackUrl = server.Url.ToString() },
            Ip = new Appliance.Auth.Config.IpAccessConfig { Deny = ["2001:db8::/32"] },
        };
        var policy = AccessPolicy.Create(config, _clock, _http);

        var denied = await policy.CheckAsync(Request(), Eventually.Deadline());
        var allowed = await policy.CheckAsync(Request() with { ClientIp = IPAddress.Parse("192.0.2.1") }, Eventually.Deadline());

        Assert.Equal(AuthRefusal.IpDenied, denied.Reason);
        Assert.True(allowed.Allowed, allowed.ToString());
        Assert.Single(server.Bodies);
    }
}
