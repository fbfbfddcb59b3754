namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One daemon with an app per join mode ("live", "keyframe", "buffer"), and one ffmpeg encode
/// published to live/cam, keyframe/cam and buffer/cam: 640x360 at 25 fps, a keyframe every 2 s,
/// media starting 5 hours in (RTMP's extended timestamps, as a stream that old has).
/// </summary>
public sealed class JoinModesFixture : IAsyncLifetime
{
    public const int FiveHoursIn = 5 * 3600;

    public static readonly string[] Modes = ["live", "keyframe", "buffer"];

    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(
            appJson: "\"joinMode\": \"live\"",
            extraAppsJson: """{ "name": "keyframe", "joinMode": "keyframe" }, { "name": "buffer", "joinMode": "buffer" }""");
        Publisher = Ffmpeg.PublishToAll([.. Modes.Select(m => Daemon.RtmpUrl($"{m}/cam"))], gop: 50, startSeconds: FiveHoursIn);
        // Three GOPs: "buffer" has a keyframe a GOP back to start at, "live" a GOP before a young keyframe.
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 150, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
