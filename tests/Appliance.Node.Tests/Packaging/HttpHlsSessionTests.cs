using Appliance.Codecs.MpegTs;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>The HLS routes through the in-memory HTTP session: playlist, segments, bad names, the end of a stream.</summary>
public class HttpHlsSessionTests
{
    [Fact]
    public async Task TheFirstPlaylistRequestWaitsForTheFirstSegmentThenSegmentsAreServedFromTheCache()
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].Hls.MinSegments = 1);
        var frames = new Frames();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", frames, untilMs: 1_520);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var pending = client.RequestAsync("GET", "/live/cam.m3u8", ct);
        // Nothing is answered until a segment exists: 1 s to 3 s of media, from the GOP cache's keyframe.
        await Eventually.WaitAsync(() => stream.HlsWindow is not null, "HLS packaging to start");
        Assert.False(pending.IsCompleted);
        HttpTsSessionTests.PublishMore(stream, source, frames, 1_520, 3_040);
        var response = await pending;

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.apple.mpegurl", response.Header("Content-Type"));
        Assert.Equal("max-age=1", response.Header("Cache-Control"));
        var playlist = MediaPlaylist.Parse(response.BodyText);
        var entry = Assert.Single(playlist.Entries);
        Assert.Equal("cam/0.ts", entry.Uri);
        Assert.Equal(2.0, entry.Duration);
        Assert.Equal(2, playlist.TargetDuration);

        var cache = server.Streams.Segments;
        var (hits, misses) = (cache.Hits, cache.Misses);
        var segment = await client.RequestAsync("GET", "/live/" + entry.Uri, ct);
        var again = await client.RequestAsync("GET", "/live/" + entry.Uri, ct);
        var head = await client.RequestAsync("HEAD", "/live/" + entry.Uri, ct);

        Assert.Equal(200, segment.Status);
        Assert.Equal("video/mp2t", segment.Header("Content-Type"));
        Assert.Equal(segment.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), segment.Header("Content-Length"));
        Assert.Contains("immutable", segment.Header("Cache-Control"));
        Assert.Equal(segment.Body, again.Body);
        Assert.Equal(200, head.Status);
        Assert.Equal(segment.Header("Content-Length"), head.Header("Content-Length"));
        Assert.Equal(hits + 3, cache.Hits);
        Assert.Equal(misses, cache.Misses);
        var stored = stream.HlsWindow!.Segments.Single();
        Assert.Equal(stored.File.Memory.Span.ToArray(), segment.Body);
        Assert.Equal(1, stored.File.RefCount);
        var (units, _) = TsMedia.Demux(segment.Body);
        Assert.True(units.First(u => u.StreamType == TsStreamType.H264).IsKeyFrame);
    }

    [Theory]
    [InlineData("abc.ts")]
    [InlineData("-1.ts")]
    [InlineData("+1.ts")]
    [InlineData("99999999999999999999.ts")]
    [InlineData(".ts")]
    [InlineData("1.ts.ts")]
    [InlineData("1.m4s")]
    [InlineData("1")]
    [InlineData("%31.ts")]
    public async Task AMalformedSegmentNameIs404AndTheConnectionStaysUsable(string file)
    {
        using var server = new TestServer();
        var frames = new Frames();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", frames, untilMs: 1_000);
        var window = stream.RequestHls()!;
        HttpTsSessionTests.PublishMore(stream, source, frames, 1_000, 2_040);
        Assert.Equal(0, Assert.Single(window.Segments).Sequence);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var bad = await client.RequestAsync("GET", "/live/cam/" + file, ct);
        var good = await client.RequestAsync("GET", "/live/cam/0.ts", ct);

        Assert.Equal(404, bad.Status);
        Assert.Equal(200, good.Status);
        Assert.Equal(window.Segments[0].File.Length, good.Body.Length);
        Assert.False(client.Run.IsCompleted);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Exception is not null);
    }

    [Fact]
    public async Task SegmentsAndPlaylistsOfUnknownStreamsAre404()
    {
        using var server = new TestServer();
        HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 1_000);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        Assert.Equal(404, (await client.RequestAsync("GET", "/live/nobody.m3u8", ct)).Status);
        Assert.Equal(404, (await client.RequestAsync("GET", "/live/nobody/0.ts", ct)).Status);
        // A live stream whose HLS nobody started has no segments yet.
        Assert.Equal(404, (await client.RequestAsync("GET", "/live/cam/0.ts", ct)).Status);
        Assert.Equal(404, (await client.RequestAsync("GET", "/other/cam.m3u8", ct)).Status);
        Assert.Null(server.Streams.Streams.Single().HlsWindow);
    }

    [Fact]
    public async Task AnAppWithHlsOffAnswers404()
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].Hls.Enabled = false);
        HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 3_000);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", "/live/cam.m3u8", Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.Equal(0, server.Streams.Segments.Segments);
    }

    [Fact]
    public async Task AnEndedStreamsPlaylistIsStillServedWithTheEndList()
    {
        using var server = new TestServer();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 1_000);
        var window = stream.RequestHls()!;
        HttpTsSessionTests.PublishMore(stream, source, new Frames(), 1_000, 3_500);
        Assert.Single(window.Segments);

        stream.DetachSource(source);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        var response = await client.RequestAsync("GET", "/live/cam.m3u8", ct);
        var last = await client.RequestAsync("GET", "/live/cam/1.ts", ct);

        Assert.Equal(200, response.Status);
        Assert.Equal("max-age=60", response.Header("Cache-Control"));
        var playlist = MediaPlaylist.Parse(response.BodyText);
        Assert.True(playlist.Ended);
        Assert.Equal(["cam/0.ts", "cam/1.ts"], playlist.Entries.Select(e => e.Uri));
        Assert.Equal(200, last.Status);
        Assert.Equal(404, (await client.RequestAsync("GET", "/live/cam.ts", ct)).Status);
    }

    [Fact]
    public async Task APlaylistRequestForAStreamThatEndsBeforeItsFirstSegmentIsAnsweredAtTheEnd()
    {
        using var server = new TestServer();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 520);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var pending = client.RequestAsync("GET", "/live/cam.m3u8", ct);
        await Eventually.WaitAsync(() => stream.HlsWindow is not null, "HLS packaging to start");
        stream.DetachSource(source);
        var response = await pending;

        Assert.Equal(200, response.Status);
        var playlist = MediaPlaylist.Parse(response.BodyText);
        Assert.True(playlist.Ended);
        Assert.Single(playlist.Entries);
    }
}
