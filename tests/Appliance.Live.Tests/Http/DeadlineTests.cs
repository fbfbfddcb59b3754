using Appliance.Live.Tests.Support;

namespace Appliance.Live.Tests.Http;

public class DeadlineTests
{
    [Fact]
    public async Task ARequestHeadThatNeverCompletesIsClosedAtTheDeadline()
    {
        using var server = new TestServer(config => config.Deadlines.RequestHeaderMs = 100);
        var client = new HttpClientSide(server);

        await client.Connection.SendAsync("GET /api/streams HTTP/1.1\r\nHost: x\r\n");
        await client.ExpectClosedAsync(Eventually.Deadline());

        Assert.True(server.Logs.Contains("request head not received in time"), server.Logs.Dump());
    }

    [Fact]
    public async Task AFlvViewerIsNotClosedByTheRequestDeadline()
    {
        using var server = new TestServer(config => config.Deadlines.RequestHeaderMs = 100);
        var (stream, source) = server.PublishLive("cam", new Frames());
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam.flv", ct);

        // Well past the request deadline, a new frame still reaches the viewer.
        var startedMs = Environment.TickCount64;
        await Eventually.WaitAsync(() => Environment.TickCount64 - startedMs > 600, "the request deadline to pass several sweeps over");
        stream.Publish(source, new Frames().InterFrame(80));
        var body = await client.Reader.ReadUntilAsync(bytes => FlvTags.ParseFile(bytes, out _).Any(t => t.Timestamp == 80), ct);

        Assert.False(client.Run.IsCompleted);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
    }
}
