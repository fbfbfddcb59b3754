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

    [Fact]
    public async Task ASegmentStillBeingWrittenIsNotCutByTheRequestDeadline()
    {
        var (server, client, segment) = Packaging.HttpHlsRangeTests.OneSegment(config => config.Deadlines.RequestHeaderMs = 5_000);
        using var _ = server;
        var ct = Eventually.Deadline();
        // A slow download: the client does not read, so the reply's write cannot finish.
        await client.Connection.HoldWritesAsync();
        await client.Connection.SendAsync("GET /live/cam/0.ts HTTP/1.1\r\nHost: x\r\n\r\n");
        var session = await SessionAsync(server);

        // Past the request deadline (5 s) but not the send-stall one (15 s): nothing to cut while the reply goes out.
        await Eventually.WaitAsync(() => session.Writer.WriteStartedMs != 0 && session.CheckDeadlines(MonotonicClock.NowMs + 6_000) is null,
            "the session to be writing its reply with no request deadline running");
        client.Connection.ReleaseWrites();
        var response = await client.Reader.ReadResponseAsync(ct);

        Assert.Equal(200, response.Status);
        Assert.Equal(segment, response.Body);
        // The reply is out: the connection waits for its next request under the deadline again.
        await Eventually.WaitAsync(() => session.CheckDeadlines(MonotonicClock.NowMs + 6_000) == "request head not received in time",
            "the request deadline to run again");
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
    }

    private static async Task<Appliance.Node.Sessions.SessionBase> SessionAsync(TestServer server)
    {
        await Eventually.WaitAsync(() => server.Sessions.Sessions.Any(), "the session to start");
        return Assert.Single(server.Sessions.Sessions);
    }
}
