using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>appliancectl against a live daemon with an ffmpeg publisher and the test's own viewers.</summary>
public sealed class ControlCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Status_streams_and_sessions_count_exactly_what_the_test_created()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var viewers = new List<ViewerRecorder>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                viewers.Add(new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token)));
            }
            for (var i = 0; i < 3; i++)
            {
                viewers.Add(new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token)));
            }
            foreach (var viewer in viewers)
            {
                await viewer.WaitUntilAsync(v => v.VideoFrames >= 10, Wait, "10 frames");
            }
            // The ingest rate is measured over whole seconds of media.
            await Task.WhenAll(viewers.Select(v => v.WaitUntilAsync(x => x.VideoFrames >= 60, Wait, "60 frames")));

            var streams = (await Appliancectl.JsonAsync(daemon, "streams")).GetProperty("streams");
            var sessions = await Appliancectl.SessionCountsAsync(daemon);
            // The test's own polling of /api/streams keeps one admin connection open too.
            sessions.Remove("admin");
            var status = (await Appliancectl.JsonAsync(daemon, "status")).GetProperty("status");
            var flvOnly = (await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "http-flv")).GetProperty("sessions");
            var table = await Appliancectl.RunAsync(daemon, "streams");

            var stream = Assert.Single(streams.EnumerateArray());
            Assert.Equal("default/live/cam", stream.GetProperty("key").GetString());
            Assert.Equal("publisher", stream.GetProperty("sourceKind").GetString());
            Assert.StartsWith("rtmp-publish 127.0.0.1:", stream.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.Equal(2, stream.GetProperty("viewers").GetProperty("rtmp").GetInt32());
            Assert.Equal(3, stream.GetProperty("viewers").GetProperty("flv").GetInt32());
            Assert.Equal(0, stream.GetProperty("viewers").GetProperty("ts").GetInt32());
            Assert.Equal("avc", stream.GetProperty("videoCodec").GetString());
            Assert.StartsWith("aac", stream.GetProperty("audioCodec").GetString(), StringComparison.Ordinal);
            Assert.Equal(640, stream.GetProperty("width").GetInt32());
            Assert.Equal(360, stream.GetProperty("height").GetInt32());
            Assert.InRange(stream.GetProperty("ingestFps").GetDouble(), 20, 30);
            Assert.InRange(stream.GetProperty("ingestBitsPerSecond").GetInt64(), 100_000, 20_000_000);
            Assert.True(stream.GetProperty("bytesOut").GetInt64() > 5 * 100_000, "bytes out do not cover five viewers");
            Assert.Equal(new Dictionary<string, int> { ["rtmp-publish"] = 1, ["rtmp-play"] = 2, ["http-flv"] = 3 }, sessions);
            Assert.Equal(3, flvOnly.GetArrayLength());
            Assert.Equal(5, status.GetProperty("viewers").GetInt32());
            Assert.Equal(1, status.GetProperty("streams").GetInt32());
            Assert.Equal("running", status.GetProperty("state").GetString());
            Assert.Equal(0, table.ExitCode);
            Assert.Contains("default/live/cam", table.Stdout, StringComparison.Ordinal);
            Assert.Contains("640x360", table.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Kick_ends_exactly_that_session()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var first = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await first.WaitUntilAsync(v => v.VideoFrames >= 5, Wait, "5 frames");
        var firstId = (await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "rtmp-play")).GetProperty("sessions")[0].GetProperty("id").GetInt64();
        await using var second = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await second.WaitUntilAsync(v => v.VideoFrames >= 5, Wait, "5 frames");

        var kick = await Appliancectl.RunAsync(daemon, "kick", firstId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, kick.ExitCode);
        Assert.Contains($"session {firstId} (rtmp-play", kick.Stdout, StringComparison.Ordinal);
        await first.WaitUntilAsync(v => v.Ended, Wait, "the kicked viewer ends");
        var secondFrames = second.VideoFrames;
        await second.WaitUntilAsync(v => v.VideoFrames >= secondFrames + 25, Wait, "the other viewer keeps playing");
        Assert.False(second.Ended);
        var remaining = (await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "rtmp")).GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ToList();
        Assert.DoesNotContain(firstId, remaining);
        Assert.Equal(2, remaining.Count);
        Assert.False(publisher.HasExited);
        await daemon.WaitForLogAsync(l => l.Contains("reason=\"kicked by the operator\"", StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Drop_ends_the_publisher_and_every_viewer_of_the_stream_only()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var dropped = Ffmpeg.Publish(daemon.RtmpUrl("live/a"));
        await using var kept = Ffmpeg.Publish(daemon.RtmpUrl("live/b"));
        await StreamApi.WaitForFramesAsync(daemon, "a", minFrames: 30, Wait);
        await StreamApi.WaitForFramesAsync(daemon, "b", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var viewerA = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/a.flv", cts.Token));
        await using var viewerB = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "b", cts.Token));
        await viewerA.WaitUntilAsync(v => v.VideoFrames >= 5, Wait, "5 frames of a");

        var drop = await Appliancectl.RunAsync(daemon, "drop", "live/a");

        Assert.Equal(0, drop.ExitCode);
        Assert.Contains("dropped default/live/a", drop.Stdout, StringComparison.Ordinal);
        await viewerA.WaitUntilAsync(v => v.Ended, Wait, "the viewer of the dropped stream ends");
        Assert.True(await dropped.WaitForExitAsync(Wait), "the dropped publisher (ffmpeg) is still running");
        var framesB = viewerB.VideoFrames;
        await viewerB.WaitUntilAsync(v => v.VideoFrames >= framesB + 25, Wait, "the other stream goes on");
        var streams = (await Appliancectl.JsonAsync(daemon, "streams")).GetProperty("streams");
        Assert.Equal(["default/live/b"], streams.EnumerateArray().Select(s => s.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Config_shows_the_effective_config_with_secrets_masked()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"auth\": { \"play\": { \"scheme\": \"typeA\", \"key\": \"s3cr3t-play-key\" } }");

        var human = await Appliancectl.RunAsync(daemon, "config");
        var json = await Appliancectl.JsonAsync(daemon, "config");

        Assert.Equal(0, human.ExitCode);
        Assert.DoesNotContain("s3cr3t-play-key", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"key\": \"*****\"", human.Stdout, StringComparison.Ordinal);
        var live = json.GetProperty("config").GetProperty("domains")[0].GetProperty("apps")[0];
        Assert.Equal("live", live.GetProperty("name").GetString());
        Assert.Equal("*****", live.GetProperty("auth").GetProperty("play").GetProperty("key").GetString());
        Assert.Equal(daemon.ControlSocket, json.GetProperty("config").GetProperty("control").GetProperty("socket").GetString());
    }

    [Fact]
    public async Task Routes_answers_with_no_candidates_on_a_node_that_does_not_pull()
    {
        await using var daemon = await DaemonProcess.StartAsync();

        var routes = await Appliancectl.JsonAsync(daemon, "routes");
        var human = await Appliancectl.RunAsync(daemon, "routes");

        Assert.Equal(0, routes.GetProperty("routes").GetArrayLength());
        Assert.Contains("no upstream candidates", human.Stdout, StringComparison.Ordinal);
    }
}
