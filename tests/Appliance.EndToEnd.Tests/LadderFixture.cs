using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A node whose app "live" has a ladder of 480p and 360p (ultrafast: the point here is the
/// supervision and the alignment, not quality), at most one transcoder, and an aged 720p source
/// with a keyframe every 2 s, published by ffmpeg an hour into its timeline.
/// </summary>
public sealed class LadderFixture : IAsyncLifetime
{
    public const string Ladder = """
        "ladder": { "rungs": [
            { "label": "480p", "height": 480, "videoBitrate": "600k", "preset": "ultrafast" },
            { "label": "360p", "height": 360, "videoBitrate": "300k", "preset": "ultrafast" } ],
          "idleStopSeconds": 300 }
        """;

    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Source { get; private set; } = null!;

    private readonly SemaphoreSlim _first = new(1, 1);

    /// <summary>How long the first viewer of a rung waited for its playlist (the transcoder started for it); null until one asked.</summary>
    public TimeSpan? FirstRungWait { get; private set; }

    /// <summary>
    /// Asks for the 480p rung's playlist until it answers 200. The first ask of all starts the
    /// transcoder, and its wait is kept; later ones find the rungs running (or started again).
    /// </summary>
    public async Task EnsureRungsAsync()
    {
        await _first.WaitAsync();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await Hls.GetAsync(Daemon, "/live/cam_480p.m3u8", cts.Token);
            Assert.True(response.Status == 200, $"the rung's playlist answered {response.Status}:\n{string.Join('\n', Daemon.Lines.TakeLast(30))}");
            FirstRungWait ??= clock.Elapsed;
        }
        finally
        {
            _first.Release();
        }
    }

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(appJson: Ladder, rootJson: "\"transcode\": { \"maxConcurrent\": 1 },");
        Source = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam"), size: "1280x720", fps: 25, gop: 50, startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Source.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
