using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>
/// One daemon with an SRT listener and ffmpeg publishing live/cam (640x360 H.264 + AAC) to it as
/// MPEG-TS over SRT; the app "secure" wants an SRT passphrase, the app "tokens" Type A tokens.
/// </summary>
public sealed class SrtFixture : IAsyncLifetime
{
    public const string Passphrase = "correct horse battery staple";
    public const string PublishKey = "srt-publish-key";
    public const string PlayKey = "srt-play-key";

    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public int SrtPort { get; private set; }

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(
            rootJson: """ "srt": { "listen": "127.0.0.1:0" }, """,
            deadlinesJson: """ "idleMs": 5000 """,
            extraAppsJson: $$"""
                { "name": "secure", "srt": { "passphrase": "{{Passphrase}}", "keyLength": 16 } },
                { "name": "tokens", "auth": {
                    "publish": { "scheme": "typeA", "key": "{{PublishKey}}" },
                    "play": { "scheme": "typeA", "key": "{{PlayKey}}", "ttlSeconds": 600 } } }
                """);
        SrtPort = Daemon.PortOf("srt");
        Publisher = Ffmpeg.Publish(Url("#!::r=live/cam,m=publish"), format: "mpegts");
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
    }

    /// <summary>An srt:// URL ffmpeg and ffprobe read (they take the stream id as it is, not URL-decoded).</summary>
    public string Url(string streamId, string extra = "") => $"srt://127.0.0.1:{SrtPort}?streamid={streamId}{extra}";

    public System.Net.IPEndPoint EndPoint => new(System.Net.IPAddress.Loopback, SrtPort);

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
