namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One daemon with a stream an hour old (timestamps far from 0) and a long HLS window, so a segment
/// fetched at the start of a test is still listed, and servable, at its end.
/// </summary>
public sealed class AgedLivePublisherFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(appJson: "\"hls\": { \"windowSegments\": 60 }");
        Publisher = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
