using System.Net.Sockets;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A viewer that reads slower than the stream skips ahead to keyframes; one that has to skip too
/// often is closed with the reason logged, while a normal viewer of the same stream is unaffected.
/// </summary>
public sealed class SlowViewerTests
{
    [Fact]
    public async Task A_viewer_reading_slower_than_the_stream_is_skipped_ahead_then_closed_and_others_keep_playing()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"maxViewerLagMs\": 1000, \"maxViewerSkipsPerMinute\": 2");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var flood = await FloodPublisher.StartAsync(daemon.RtmpPort, "flood", cts.Token);
        await using var healthy = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "flood", cts.Token));

        // About 4 Mbit/s against a 40 Mbit/s stream: every write completes, slowly, so this is slowness, not a stall.
        using var slow = new TcpClient { ReceiveBufferSize = 16 * 1024 };
        await slow.ConnectAsync("127.0.0.1", daemon.HttpPort, cts.Token);
        var port = ((System.Net.IPEndPoint)slow.Client.LocalEndPoint!).Port;
        var stream = slow.GetStream();
        await stream.WriteAsync("GET /live/flood.flv HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), cts.Token);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            long total = 0;
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, stopReading.Token)) > 0)
                {
                    total += read;
                    await Task.Delay(30, stopReading.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
            }
            return total;
        });

        var line = await daemon.WaitForLogAsync(l => l.Contains($"viewer 127.0.0.1:{port} of default/live/flood closed: viewer too slow", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        // What the kernel still holds for the closed viewer is of no interest: stop reading.
        stopReading.Cancel();
        var received = await reader;

        Assert.True(received > 100_000, $"the slow viewer got only {received} bytes before it was closed");
        var seen = healthy.VideoFrames;
        await healthy.WaitUntilAsync(v => v.VideoFrames >= seen + 25, TimeSpan.FromSeconds(10), "25 more frames for the healthy viewer");
        Assert.False(healthy.Ended);
        Assert.Equal(0, healthy.BackwardSteps);
    }
}
