using System.Security.Cryptography.X509Certificates;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tls;

/// <summary>
/// The certificate is renewed under a playing viewer: SIGHUP gives new handshakes the new
/// certificate and the viewer plays on; a broken file refuses the reload with a log line naming
/// it, and the running certificate keeps being presented.
/// </summary>
public sealed class TlsReloadTests : IAsyncLifetime
{
    private readonly TlsFixture _tls = new();

    public Task InitializeAsync() => _tls.InitializeAsync();

    public Task DisposeAsync() => _tls.DisposeAsync();

    [Fact]
    public async Task A_renewed_certificate_reaches_new_handshakes_while_a_viewer_keeps_playing()
    {
        await using var viewer = FfmpegPlayback.StartCopy(_tls.HttpsUrl("live/cam.flv"), 10);
        var before = await ServedSerialAsync();
        var (_, _, renewed) = _tls.Ca.Issue("live", ["live.test"]);

        await _tls.Daemon.SignalAsync("HUP");

        await _tls.Daemon.WaitForLogAsync(l => l.Contains($"reloaded {_tls.Daemon.ConfigPath}", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(renewed.SerialNumber, await ServedSerialAsync());
        Assert.NotEqual(before, renewed.SerialNumber);
        Assert.True(await viewer.WaitForExitAsync(TimeSpan.FromSeconds(40)), "the viewer did not finish");
        Assert.Equal(0, viewer.ExitCode);
        Assert.Empty(FfmpegPlayback.ErrorLines(viewer.Stderr));
    }

    [Fact]
    public async Task A_broken_certificate_file_keeps_the_running_certificate_with_a_log_line_naming_it()
    {
        var running = await ServedSerialAsync();
        await File.WriteAllTextAsync(_tls.LiveCert, "not a certificate\n");

        await _tls.Daemon.SignalAsync("HUP");

        await _tls.Daemon.WaitForLogAsync(l => l.Contains($"reload refused, the running config stays: $.tls.certificates[0]: {_tls.LiveCert}: ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.Equal(running, await ServedSerialAsync());
    }

    /// <summary>The serial number of the certificate a new handshake for live.test gets.</summary>
    private async Task<string> ServedSerialAsync()
    {
        var openssl = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "sh", "-c",
            $"openssl s_client -connect 127.0.0.1:{_tls.HttpsPort} -servername live.test </dev/null 2>/dev/null | openssl x509 -noout -serial");
        Assert.StartsWith("serial=", openssl.Stdout);
        return openssl.Stdout.Trim()["serial=".Length..];
    }
}
