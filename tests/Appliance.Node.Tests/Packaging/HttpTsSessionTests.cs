using Appliance.Streaming.Settings;
using Appliance.Codecs.MpegTs;
using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>GET /{app}/{stream}.ts through the in-memory HTTP session: a live MPEG-TS body from the GOP cache's keyframe.</summary>
public class HttpTsSessionTests
{
    [Fact]
    public async Task ALiveStreamIsServedAsMpegTsStartingWithAPatAndAKeyframe()
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].JoinMode = JoinModes.Buffer);
        var frames = new Frames();
        var (stream, source) = PublishTsLive(server, "cam", frames, untilMs: 2_520);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("GET", "/live/cam.ts", ct);
        Assert.Equal(200, response.Status);
        Assert.Equal("video/mp2t", response.Header("Content-Type"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Contains("no-cache", response.Header("Cache-Control"));

        // Live frames keep coming after the GOP cache.
        for (var ts = 2_520L; ts < 3_200; ts += 40)
        {
            stream.Publish(source, TsMedia.InterFrame(frames, ts));
            stream.Publish(source, TsMedia.Audio(frames, ts + 20));
        }
        var body = await client.Reader.ReadUntilAsync(bytes => CountVideo(bytes) >= 20, ct);

        Assert.True(TsMedia.StartsWithPat(body), $"the body starts with {Convert.ToHexString(body.AsSpan(0, Math.Min(8, body.Length)))}");
        var (units, demuxer) = TsMedia.Demux(body.AsSpan(0, body.Length / TsPacket.Size * TsPacket.Size));
        Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits + demuxer.CrcErrors + demuxer.SyncLosses);
        Assert.Contains(demuxer.Streams, s => s.Pid == TsMuxer.VideoPid && s.StreamType == TsStreamType.H264);
        Assert.Contains(demuxer.Streams, s => s.Pid == TsMuxer.AudioPid && s.StreamType == TsStreamType.AacAdts);
        var video = units.Where(u => u.Pid == TsMuxer.VideoPid).ToList();
        Assert.True(video[0].IsKeyFrame, "the first video access unit is not a keyframe");
        // A keyframe from the GOP cache (1 s or 2 s, as the join buffer decides), then every frame after it in order.
        Assert.Contains(video[0].Dts, new long[] { 1000 * 90, 2000 * 90 });
        for (var i = 1; i < video.Count; i++)
        {
            Assert.Equal(video[i - 1].Dts + (40 * 90), video[i].Dts);
        }
        Assert.Contains(units, u => u.Pid == TsMuxer.AudioPid);
        Assert.Equal(1, stream.ViewerCount);
        Assert.Equal(1, stream.CountViewers().Ts);

        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
        Assert.Equal(0, stream.ViewerCount);
        Assert.True(server.Logs.Contains("proto=http-ts"), server.Logs.Dump());
    }

    [Fact]
    public async Task TwoViewersGetTheSamePackets()
    {
        using var server = new TestServer();
        var frames = new Frames();
        var (stream, source) = PublishTsLive(server, "cam", frames, untilMs: 1_520);
        var first = new HttpClientSide(server);
        var second = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        await first.RequestAsync("GET", "/live/cam.ts", ct);
        await second.RequestAsync("GET", "/live/cam.ts", ct);

        for (var ts = 1_520L; ts < 2_000; ts += 40)
        {
            stream.Publish(source, TsMedia.InterFrame(frames, ts));
        }
        var a = await first.Reader.ReadUntilAsync(bytes => CountVideo(bytes) >= 12, ct);
        var b = await second.Reader.ReadUntilAsync(bytes => CountVideo(bytes) >= 12, ct);

        var length = Math.Min(a.Length, b.Length);
        Assert.True(length > 10 * TsPacket.Size);
        Assert.Equal(a.AsSpan(0, length).ToArray(), b.AsSpan(0, length).ToArray());
    }

    [Fact]
    public async Task AnAudioOnlyStreamIsServedWithOnlyAnAacTrack()
    {
        using var server = new TestServer();
        var frames = new Frames();
        var source = new TestSource();
        Assert.Equal(PublishOutcome.Started, server.Streams.TryPublish(new StreamKey("default", "live", "radio"), server.LiveApp, source, out var stream));
        stream.Publish(source, frames.AacSequenceHeader(0));
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("GET", "/live/radio.ts", ct);
        for (var i = 0; i < 100; i++)
        {
            stream.Publish(source, TsMedia.Audio(frames, (long)(i * TsMedia.AacFrameMs)));
        }
        var body = await client.Reader.ReadUntilAsync(bytes => TsMedia.Demux(Whole(bytes)).Units.Count >= 50, ct);

        Assert.Equal(200, response.Status);
        Assert.True(TsMedia.StartsWithPat(body));
        var (units, demuxer) = TsMedia.Demux(Whole(body));
        Assert.Equal([TsStreamType.AacAdts], demuxer.Streams.Select(s => s.StreamType));
        Assert.Equal(TsMuxer.AudioPid, demuxer.PcrPid);
        Assert.All(units, u => Assert.Equal(TsMuxer.AudioPid, u.Pid));
        Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits);
    }

    [Fact]
    public async Task AMissingStreamIs404AndTheConnectionStaysUsable()
    {
        using var server = new TestServer();
        PublishTsLive(server, "cam", new Frames(), untilMs: 1_000);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var missing = await client.RequestAsync("GET", "/live/nobody.ts", ct);
        var head = await client.RequestAsync("HEAD", "/live/cam.ts", ct);

        Assert.Equal(404, missing.Status);
        Assert.Equal(200, head.Status);
        Assert.Equal("video/mp2t", head.Header("Content-Type"));
    }

    /// <summary>Publishes "default/live/{name}" with headers and 25 fps video (a keyframe every <paramref name="keyIntervalMs"/>) plus audio, up to <paramref name="untilMs"/>.</summary>
    internal static (LiveStream Stream, TestSource Source) PublishTsLive(TestServer server, string name, Frames frames, long untilMs, long keyIntervalMs = 1000)
    {
        var source = new TestSource();
        Assert.Equal(PublishOutcome.Started, server.Streams.TryPublish(new StreamKey("default", "live", name), server.LiveApp, source, out var stream));
        stream.Publish(source, frames.Metadata(0));
        stream.Publish(source, frames.AvcSequenceHeader(0));
        stream.Publish(source, frames.AacSequenceHeader(0));
        PublishMore(stream, source, frames, 0, untilMs, keyIntervalMs);
        return (stream, source);
    }

    /// <summary>Video every 40 ms in [<paramref name="fromMs"/>, <paramref name="untilMs"/>), a keyframe every <paramref name="keyIntervalMs"/> (by default each second), and audio 20 ms after each.</summary>
    internal static void PublishMore(LiveStream stream, TestSource source, Frames frames, long fromMs, long untilMs, long keyIntervalMs = 1000)
    {
        for (var ts = fromMs; ts < untilMs; ts += 40)
        {
            stream.Publish(source, ts % keyIntervalMs == 0 ? TsMedia.KeyFrame(frames, ts) : TsMedia.InterFrame(frames, ts));
            stream.Publish(source, TsMedia.Audio(frames, ts + 20));
        }
    }

    private static ReadOnlySpan<byte> Whole(byte[] bytes) => bytes.AsSpan(0, bytes.Length / TsPacket.Size * TsPacket.Size);

    private static int CountVideo(byte[] bytes)
    {
        try
        {
            return TsMedia.Demux(Whole(bytes)).Units.Count(u => u.Pid == TsMuxer.VideoPid);
        }
        catch (TsFormatException)
        {
            return 0;
        }
    }
}
