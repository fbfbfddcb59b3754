using Appliance.Core.Time;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class DeadlineTests
{
    [Fact]
    public async Task ARequestHeadThatNeverCompletesIsClosedAtTheDeadline()
    {
        using var server = new TestServer(config => config.Deadlines.RequestHeaderMs = 100);
        var client = new HttpClientSide(server);

        await client.Connection.SendAsync("GET /api/health HTTP/1.1\r\nHost: x\r\n");
        await client.ExpectClosedAsync(Eventually.Deadline());

        Assert.True(server.Logs.Contains("request head not received in time"), server.Logs.Dump());
    }

    [Fact]
    public async Task AFlvViewerHasNoDeadlineOnceItIsStreaming()
    {
        using var server = new TestServer(config => config.Deadlines.RequestHeaderMs = 100);
        server.PublishLive("cam", new Frames());
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam.flv", ct);
        await client.Reader.ReadUntilAsync(bytes => FlvTags.ParseFile(bytes, out _).Count == 5, ct);
        var session = Assert.Single(server.Sessions.Sessions);

        // A minute from now: the request deadline would long be over, and the viewer sent nothing since.
        var reason = session.CheckDeadlines(MonotonicClock.NowMs + 60_000);

        Assert.Null(reason);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task AKeptAliveConnectionWaitingForItsNextRequestHasTheRequestDeadlineAgain()
    {
        using var server = new TestServer(config => config.Deadlines.RequestHeaderMs = 5_000);
        var client = new HttpClientSide(server);
        await client.RequestAsync("GET", "/api/health", Eventually.Deadline());
        var session = Assert.Single(server.Sessions.Sessions);

        var reason = session.CheckDeadlines(MonotonicClock.NowMs + 60_000);

        Assert.Equal("request head not received in time", reason);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
    }
}
