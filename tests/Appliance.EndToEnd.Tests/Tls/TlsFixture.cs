using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Tests.Support;

namespace Appliance.EndToEnd.Tests.Tls;

/// <summary>
/// A daemon with HTTPS and RTMPS listeners and two certificates of a test CA: live.test (also
/// the default, and 127.0.0.1 as an IP name) and other.test. ffmpeg publishes "cam" over RTMPS.
/// </summary>
public sealed class TlsFixture : IAsyncLifetime
{
    public TestCertificates Ca { get; } = new();

    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public string LiveCert { get; private set; } = "";

    public string LiveKey { get; private set; } = "";

    public int HttpsPort { get; private set; }

    public int RtmpsPort { get; private set; }

    public string HttpsUrl(string path) => $"https://127.0.0.1:{HttpsPort}/{path}";

    public string RtmpsUrl(string path) => $"rtmps://127.0.0.1:{RtmpsPort}/{path}";

    /// <summary>ffmpeg's options to verify the node's certificate against the test CA.</summary>
    public string[] Verify => ["-tls_verify", "1", "-ca_file", Ca.CaPath];

    public async Task InitializeAsync()
    {
        (LiveCert, LiveKey, _) = Ca.Issue("live", ["live.test"]);
        var (otherCert, otherKey, _) = Ca.Issue("other", ["other.test"]);
        Daemon = await DaemonProcess.StartAsync(
            deadlinesJson: "\"handshakeMs\": 2000",
            rootJson: $$"""
                "https": { "listen": "127.0.0.1:0" },
                "rtmps": { "listen": "127.0.0.1:0" },
                "tls": { "certificates": [
                  { "names": ["live.test"], "cert": "{{LiveCert}}", "key": "{{LiveKey}}" },
                  { "names": ["other.test"], "cert": "{{otherCert}}", "key": "{{otherKey}}" } ] },
                """);
        HttpsPort = Daemon.PortOf("https");
        RtmpsPort = Daemon.PortOf("rtmps");
        Publisher = Ffmpeg.Publish(RtmpsUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
        Ca.Dispose();
    }
}
