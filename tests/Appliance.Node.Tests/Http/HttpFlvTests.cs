using Appliance.Codecs.Flv;
using Appliance.Node.Config;
using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Http;

public class HttpFlvTests
{
    [Fact]
    public async Task HeadOnALiveStreamIs200VideoFlvWithNoBody()
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("HEAD", "/live/cam.flv", ct);

        Assert.Equal(200, response.Status);
        Assert.Equal("video/x-flv", response.Header("Content-Type"));
        Assert.Empty(await client.ExpectClosedAsync(ct));
        Assert.Equal(0, server.Streams.Streams.Single().ViewerCount);
    }

    [Fact]
    public async Task GetOnALiveStreamSendsTheFlvHeaderThenTagsFromTheKeyFrame()
    {
        using var server = new TestServer();
        var frames = new Frames();
        var (stream, source) = server.PublishLive("cam", frames);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("GET", "/live/cam.flv", ct);
        var body = await client.Reader.ReadAtLeastAsync(FlvWriter.FileHeaderLength, ct);
        Assert.Equal(200, response.Status);
        Assert.Equal("video/x-flv", response.Header("Content-Type"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal(new byte[] { (byte)'F', (byte)'L', (byte)'V', 1, 0x05 }, body[..5]);

        stream.Publish(source, frames.InterFrame(80));
        var file = await client.Reader.ReadUntilAsync(bytes => FlvTags.ParseFile(bytes, out _).Count >= 6, ct);
        var tags = FlvTags.ParseFile(file, out var rest);

        Assert.Equal("Script@0 Video@0 Audio@0 Video@0 Video@40 Video@80", FlvTags.Describe(tags));
        Assert.Equal(0, rest);
        Assert.Equal(Payloads.OnMetaData(), tags[0].Payload);
        Assert.Equal(1, stream.ViewerCount);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
        Assert.Equal(0, stream.ViewerCount);
    }

    [Fact]
    public async Task AViewerThatSendsMoreKeepsPlayingUntilItHangsUpAndWhatItSentIsCountedNotAnswered()
    {
        using var server = new TestServer();
        var frames = new Frames();
        var (stream, source) = server.PublishLive("cam", frames);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        const string request = "GET /live/cam.flv HTTP/1.1\r\nHost: localhost:8080\r\n\r\n";
        // A second request in the same packet, then more later: a stream owns the connection, so neither is answered.
        const string pipelined = "GET /live/cam.flv HTTP/1.1\r\nHost: localhost:8080\r\n\r\n";
        const string later = "anything at all";

        await client.Connection.SendAsync(request + pipelined);
        var response = await client.Reader.ReadResponseAsync(ct);
        await client.Connection.SendAsync(later);
        stream.Publish(source, frames.InterFrame(80));
        var file = await client.Reader.ReadUntilAsync(bytes => FlvTags.ParseFile(bytes, out _).Count >= 6, ct);

        Assert.Equal(200, response.Status);
        Assert.Equal("Script@0 Video@0 Audio@0 Video@0 Video@40 Video@80", FlvTags.Describe(FlvTags.ParseFile(file, out _)));
        Assert.Equal(1, stream.ViewerCount);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
        Assert.Equal(0, stream.ViewerCount);
        var sent = request.Length + pipelined.Length + later.Length;
        var access = server.Logs.Lines.Select(l => l.Message).FirstOrDefault(m => m.Contains("proto=http-flv", StringComparison.Ordinal)) ?? server.Logs.Dump();
        Assert.Contains($" in={sent} ", access, StringComparison.Ordinal);
        Assert.Contains("reason=\"client closed\"", access, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheResponseEndsWhenTheStreamEnds()
    {
        using var server = new TestServer();
        var (stream, _) = server.PublishLive("cam", new Frames());
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam.flv", ct);

        stream.End();
        var rest = await client.ExpectClosedAsync(ct);

        Assert.Equal("FLV"u8.ToArray(), rest[..3]);
        Assert.True(server.Logs.Contains("proto=http-flv"), server.Logs.Dump());
    }

    [Fact]
    public async Task AStreamOfAnUnknownAppIs404()
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", "/other/cam.flv", Eventually.Deadline());

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task TheHostHeaderChoosesTheDomain()
    {
        using var server = new TestServer(config => config.Domains.Add(new DomainConfig { Name = "tv.example.com", Apps = [new AppConfig { Name = "sports" }] }));
        var app = server.Config.Domains[1].Apps[0];
        var source = new TestSource();
        server.Streams.TryPublish(new StreamKey("tv.example.com", "sports", "final"), app, source, out var stream);
        stream.Publish(source, new Frames().KeyFrame(0));
        var ct = Eventually.Deadline();
        var elsewhere = new HttpClientSide(server);
        var there = new HttpClientSide(server);

        await elsewhere.Connection.SendAsync("HEAD /sports/final.flv HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
        await there.Connection.SendAsync("HEAD /sports/final.flv HTTP/1.1\r\nHost: TV.example.com:8080\r\n\r\n");

        Assert.Equal(404, (await elsewhere.Reader.ReadResponseAsync(ct, headOnly: true)).Status);
        Assert.Equal(200, (await there.Reader.ReadResponseAsync(ct, headOnly: true)).Status);
        await there.ExpectClosedAsync(ct);
        elsewhere.Connection.CloseInput();
        await elsewhere.Run.WaitAsync(Eventually.Timeout);
    }
}
