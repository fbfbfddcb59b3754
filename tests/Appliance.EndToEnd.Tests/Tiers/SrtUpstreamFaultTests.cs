using System.Net;
using System.Net.Sockets;
using Appliance.Core.Buffers;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Srt;
using Appliance.Transport.Srt;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// SRT parents that will not or cannot serve: each attempt ends with a line naming why, the viewer
/// who asked gets a 404 once the pull gives up, and a good RTMP candidate beside it serves.
/// </summary>
public sealed class SrtUpstreamFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string Pull = "\"connectTimeoutMs\": 1500, \"stallMs\": 1500, \"waitMs\": 4000";

    private const string Passphrase = "upper tier passphrase";

    [Theory]
    [InlineData("unknown-app")]
    [InlineData("no-stream")]
    [InlineData("wrong-passphrase")]
    [InlineData("missing-passphrase")]
    [InlineData("no-answer")]
    [InlineData("garbage")]
    public async Task A_failing_srt_parent_is_logged_with_the_reason_and_the_rtmp_candidate_serves(string fault)
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper") + SrtTierTests.SrtListen,
            appJson: fault is "wrong-passphrase" or "missing-passphrase" ? $"\"srt\": {{ \"passphrase\": \"{Passphrase}\" }}" : "");
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        var garbagePort = 0;
        await using var garbage = fault == "garbage" ? GarbageSrtListener(out garbagePort) : null;
        var srt = SrtTierTests.Srt(upper);
        var badUrl = fault switch
        {
            "unknown-app" => $"{srt}?streamid=%23!::r=nosuch/{{stream}},m=request",
            "wrong-passphrase" => $"{srt}?passphrase=not%20the%20right%20one",
            "no-answer" => $"srt://127.0.0.1:{FreeUdpPort()}",
            "garbage" => $"srt://127.0.0.1:{garbagePort}",
            _ => srt,
        };
        await using var onlyBad = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([badUrl], pull: Pull), rootJson: Infrastructure.Tiers.Node("edge-a"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([badUrl, Infrastructure.Tiers.Rtmp(origin)], pull: Pull),
            rootJson: Infrastructure.Tiers.Node("edge-b"));
        // The stream is at the origin only: the upper node has none (no-stream) and no other fault needs one.
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(onlyBad.HttpPort, "/live/cam.flv", cts.Token));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));

        Assert.Equal(404, refused.Status);
        var canonical = (await Appliancectl.JsonAsync(onlyBad, "routes")).GetProperty("routes")[0].GetProperty("url").GetString()!;
        var reason = await onlyBad.WaitForLogAsync(l => l.Contains($"attempt on {canonical} failed: ", StringComparison.Ordinal), Wait);
        var expected = fault switch
        {
            "unknown-app" => "refused the stream id: not found (SRT reject 1404)",
            "no-stream" => "the parent closed the SRT connection before sending anything",
            "wrong-passphrase" => "wrong passphrase",
            "missing-passphrase" => "passphrase",
            "no-answer" => $"srt 127.0.0.1:",
            _ => "bad MPEG-TS from upstream",
        };
        // libsrt may not tell the caller of a close that comes right after the accept before the
        // attempt's deadline: then the parent that turned the request down looks silent.
        Assert.True(reason.Contains(expected, StringComparison.Ordinal) || fault == "no-stream" && reason.Contains("no media within 3000 ms", StringComparison.Ordinal), reason);
        Assert.DoesNotContain("not the right one", string.Join('\n', onlyBad.Lines), StringComparison.Ordinal);
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames through the RTMP candidate");
        viewer.AssertContinuousTimeline();
        switch (fault)
        {
            case "unknown-app":
                await upper.WaitForLogAsync(l => l.Contains("refused: unknown app 'nosuch'", StringComparison.Ordinal), Wait);
                break;
            case "no-stream":
                await upper.WaitForLogAsync(l => l.Contains("stream default/live/cam not found", StringComparison.Ordinal), Wait);
                break;
            case "wrong-passphrase" or "missing-passphrase":
                await upper.WaitForLogAsync(l => l.Contains("did not complete: wrong or missing passphrase", StringComparison.Ordinal), Wait);
                break;
        }
    }

    [Fact]
    public async Task The_right_passphrase_pulls_the_stream()
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper") + SrtTierTests.SrtListen,
            appJson: $"\"srt\": {{ \"passphrase\": \"{Passphrase}\", \"keyLength\": 32 }}");
        var url = $"{SrtTierTests.Srt(upper)}?passphrase={Uri.EscapeDataString(Passphrase)}&pbkeylen=32";
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([url], pull: Pull), rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(upper.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv", cts.Token));

        await viewer.WaitUntilAsync(v => v.VideoFrames >= 50, Wait, "50 frames through the encrypted pull");
        viewer.AssertContinuousTimeline();
        Assert.DoesNotContain(Passphrase, string.Join('\n', edge.Lines), StringComparison.Ordinal);
    }

    /// <summary>
    /// An SRT listener that answers every caller (probes refused as an appliance refuses them) with
    /// bytes that are not MPEG-TS, a packet's worth every 10 ms until the caller goes.
    /// </summary>
    private static SrtListener GarbageSrtListener(out int port)
    {
        var listener = new SrtListener(new IPEndPoint(IPAddress.Loopback, 0),
            h => h.StreamId == SrtStreamId.Probe ? SrtHandshakeDecision.Reject(SrtHandshakeDecision.BadRequest) : SrtHandshakeDecision.Accept(new SrtSettings()),
            async connection =>
            {
                var noise = new byte[1316];
                new Random(7).NextBytes(noise);
                noise.AsSpan().Replace((byte)0x47, (byte)0x46);
                var buffer = SharedBuffer.CopyOf(noise);
                try
                {
                    while (!connection.IsAborted)
                    {
                        await connection.Output.WriteAsync(new[] { new BufferSlice(buffer) }, CancellationToken.None);
                        await Task.Delay(10);
                    }
                }
                catch (IOException)
                {
                    // The caller went.
                }
                finally
                {
                    buffer.Release();
                    connection.Abort();
                }
            });
        listener.Start();
        port = listener.LocalEndPoint.Port;
        return listener;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
