namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A daemon with ffmpeg publishing live/cam and one RTMP viewer reading it: the bystanders that must not notice bad clients.</summary>
public sealed class LiveWithViewer(string deadlines = "", string app = "")
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public ViewerRecorder Viewer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(appJson: app, deadlinesJson: deadlines);
        Publisher = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 25, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(Daemon.RtmpPort, "live", "cam", cts.Token));
    }

    /// <summary>The bystander viewer keeps getting frames, and the publisher is still connected.</summary>
    public async Task AssertStillFlowingAsync()
    {
        var seen = Viewer.VideoFrames;
        await Viewer.WaitUntilAsync(v => v.VideoFrames >= seen + 10, TimeSpan.FromSeconds(10), "10 more video frames");
        Assert.False(Viewer.Ended, "the bystander viewer was disconnected");
        Assert.False(Publisher.HasExited, "the publisher was disconnected");
        Assert.False(Daemon.HasExited, "the daemon died");
    }

    public async Task DisposeAsync()
    {
        if (Viewer is not null)
        {
            await Viewer.DisposeAsync();
        }
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
