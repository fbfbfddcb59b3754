using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Renditions;

/// <summary>A daemon whose "live" app groups cam with cam_240p and cam_144p, and one ffmpeg publishing the three, an hour in.</summary>
public sealed class RenditionsFixture : IAsyncLifetime
{
    /// <summary>The app's rendition rule, the same on every node that serves the group.</summary>
    public const string Rule = "\"renditions\": { \"labels\": [ \"240p\", \"144p\" ] }";

    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(appJson: Rule);
        Publisher = RenditionPublisher.Publish(Daemon, RenditionPublisher.Ladder);
        foreach (var output in RenditionPublisher.Ladder)
        {
            await StreamApi.WaitForFramesAsync(Daemon, output.Name, minFrames: 60, TimeSpan.FromSeconds(30));
        }
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
