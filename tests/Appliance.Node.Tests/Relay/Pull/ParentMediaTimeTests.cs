using Appliance.Codecs.Flv;
using Appliance.Node.Tests.Support;
using Appliance.Protocols.Rtmp;
using Appliance.Relay.Config;
using Appliance.Relay.Pull;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Pull;

/// <summary>
/// A node tells a node pulling from it the stream's 64-bit media time (NetStream.Play.Start,
/// HTTP-FLV head), and a pulling node places the parent's 32-bit stamps in the parent's epoch:
/// past RTMP's 2^32 ms wrap both number their segments alike.
/// </summary>
public sealed class ParentMediaTimeTests
{
    private const long PastTheWrapMs = (1L << 32) + 5_000;
    private static readonly StreamKey Cam = new("default", "live", "cam");

    [Fact]
    public async Task Rtmp_play_start_and_the_http_flv_head_carry_the_streams_64_bit_media_time()
    {
        using var server = new TestServer();
        PublishPastTheWrap(server, new Frames());
        var ct = Eventually.Deadline();

        var (connection, run) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(connection, "live", ct);
        await player.PlayAsync("cam", ct);
        var flv = await new HttpClientSide(server).RequestAsync("GET", "/live/cam.flv", ct);

        Assert.Equal(PastTheWrapMs + 40, player.StartStatus!.GetNumber(ParentMediaTime.RtmpProperty));
        Assert.Equal($"{PastTheWrapMs + 40}", flv.Header(ParentMediaTime.HttpHeader));
        await player.DisposeAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task A_stream_without_media_yet_says_no_media_time()
    {
        using var server = new TestServer();
        var frames = new Frames();
        var source = new TestSource("test source");
        Assert.Equal(PublishOutcome.Started, server.Streams.TryPublish(Cam, server.LiveApp, source, out var stream));
        stream.Publish(source, frames.AvcSequenceHeader(0));
        var ct = Eventually.Deadline();

        var (connection, run) = server.StartRtmp();
        var player = await RtmpClients.ConnectAsync(connection, "live", ct);
        await player.PlayAsync("cam", ct);
        var flv = await new HttpClientSide(server).RequestAsync("GET", "/live/cam.flv", ct);

        Assert.Null(player.StartStatus!.GetNumber(ParentMediaTime.RtmpProperty));
        Assert.Null(flv.Header(ParentMediaTime.HttpHeader));
        await player.DisposeAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task A_pull_from_a_parent_past_the_wrap_continues_the_parents_64_bit_timeline()
    {
        // The parent's 32-bit stamps started again near 0 at the wrap; its head says where it is.
        await using var parent = FlvUpstreamServer.Start($"{ParentMediaTime.HttpHeader}: {PastTheWrapMs}\r\n", keyFrameMs: 5_000);
        using var node = PullingNode(parent);
        await using var relay = Relays.For(node);

        var stream = await relay.FindOrPullAsync(Cam, null, "test");
        Assert.NotNull(stream);
        await parent.SendFramesAsync(5_040, 5);

        await Eventually.WaitAsync(() => stream!.MediaTimeMs == PastTheWrapMs + 200, $"the pulled stream at {PastTheWrapMs + 200} ms (it is at {stream!.MediaTimeMs})");
        Assert.False(node.Logs.Contains("bad media time"));
    }

    [Fact]
    public async Task A_bad_media_time_from_a_parent_is_logged_and_its_stamps_are_taken_as_they_come()
    {
        await using var parent = FlvUpstreamServer.Start($"{ParentMediaTime.HttpHeader}: soon\r\n", keyFrameMs: 5_000);
        using var node = PullingNode(parent);
        await using var relay = Relays.For(node);

        var stream = await relay.FindOrPullAsync(Cam, null, "test");
        Assert.NotNull(stream);
        await parent.SendFramesAsync(5_040, 5);

        await Eventually.WaitAsync(() => stream!.MediaTimeMs == 5_200, $"the pulled stream at 5200 ms (it is at {stream!.MediaTimeMs})");
        var line = Assert.Single(node.Logs.Lines, l => l.Message.Contains("bad media time", StringComparison.Ordinal));
        Assert.Contains($"pull default/live/cam: http://127.0.0.1:{parent.Port}/", line.Message, StringComparison.Ordinal);
        Assert.Contains("Appliance-Media-Time-Ms \"soon\" is not a decimal number of milliseconds", line.Message, StringComparison.Ordinal);
    }

    private static TestServer PullingNode(FlvUpstreamServer parent) =>
        new(config => config.Domains[0].Apps[0].Upstreams = [new UpstreamConfig { Url = $"http://127.0.0.1:{parent.Port}/{{app}}/{{stream}}.flv" }]);

    private static void PublishPastTheWrap(TestServer server, Frames frames)
    {
        var source = new TestSource("test source");
        Assert.Equal(PublishOutcome.Started, server.Streams.TryPublish(Cam, server.LiveApp, source, out var stream));
        stream.Publish(source, frames.AvcSequenceHeader(0));
        stream.Publish(source, frames.KeyFrame(PastTheWrapMs));
        stream.Publish(source, frames.InterFrame(PastTheWrapMs + 40));
    }
}
