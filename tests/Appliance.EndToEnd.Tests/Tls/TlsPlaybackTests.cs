using System.Net.Sockets;
using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tls;

/// <summary>
/// ffmpeg publishes over RTMPS; ffprobe plays it back over HTTPS (FLV, TS, HLS) and RTMPS with
/// the node's certificate verified against the test CA; curl sees the certificate of the name
/// it asks for; peers that do not finish a TLS handshake are closed with one log line each.
/// </summary>
public sealed class TlsPlaybackTests(TlsFixture tls) : IClassFixture<TlsFixture>
{
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(45);

    [Theory]
    [InlineData("live/cam.flv")]
    [InlineData("live/cam.ts")]
    [InlineData("live/cam.m3u8")]
    public async Task Ffprobe_verifies_the_certificate_and_reads_5s_of_h264_and_aac_over_https(string path)
    {
        var probe = await Ffmpeg.ProbeAsync(tls.HttpsUrl(path), seconds: 5, PlayTimeout, tls.Verify);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal("aac", probe.Audio.CodecName);
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 4.5);
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Fact]
    public async Task Ffprobe_plays_what_ffmpeg_publishes_over_rtmps_back_over_rtmps()
    {
        var probe = await Ffmpeg.ProbeAsync(tls.RtmpsUrl("live/cam"), seconds: 5, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal("aac", probe.Audio.CodecName);
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 4.5);
        Assert.True(tls.Daemon.HasLog(l => l.Contains("publish start", StringComparison.Ordinal) && l.Contains("live/cam", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ffprobe_refuses_the_node_when_it_trusts_another_CA()
    {
        using var stranger = new Appliance.Tests.Support.TestCertificates("Some Other CA");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Ffmpeg.ProbeAsync(tls.HttpsUrl("live/cam.flv"), seconds: 2, PlayTimeout, "-tls_verify", "1", "-ca_file", stranger.CaPath));

        Assert.Contains("exited", error.Message);
    }

    [Theory]
    [InlineData("live.test", "CN=live.test")]
    [InlineData("other.test", "CN=other.test")]
    [InlineData("unknown.test", "CN=live.test")]
    public async Task Curl_gets_the_certificate_of_the_name_it_asks_for(string name, string subject)
    {
        var curl = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", "-sS", "-v", "-o", "/dev/null",
            "--resolve", $"{name}:{tls.HttpsPort}:127.0.0.1", "--cacert", tls.Ca.CaPath, "-k",
            "-w", "%{http_code} %{http_version}", $"https://{name}:{tls.HttpsPort}/api/health");

        Assert.Equal("200 1.1", curl.Stdout.Trim());
        Assert.Contains($"subject: {subject}", curl.Stderr);
        Assert.Contains("ALPN: server accepted http/1.1", curl.Stderr);
    }

    [Fact]
    public async Task Curl_verifies_the_chain_against_the_test_CA_for_a_listed_name()
    {
        var curl = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", "-sS", "-o", "/dev/null",
            "--resolve", $"other.test:{tls.HttpsPort}:127.0.0.1", "--cacert", tls.Ca.CaPath,
            "-w", "%{http_code}", $"https://other.test:{tls.HttpsPort}/api/health");

        Assert.Equal(0, curl.ExitCode);
        Assert.Equal("200", curl.Stdout.Trim());
    }

    [Fact]
    public async Task TLS_1_1_and_a_CBC_suite_are_refused()
    {
        var old = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", "-sS", "-o", "/dev/null", "-k",
            "--tlsv1.1", "--tls-max", "1.1", tls.HttpsUrl("api/health"));
        var cbc = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", "-sS", "-o", "/dev/null", "-k",
            "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-SHA", tls.HttpsUrl("api/health"));

        Assert.NotEqual(0, old.ExitCode);
        Assert.NotEqual(0, cbc.ExitCode);
    }

    [Theory]
    [InlineData("plain HTTP", "GET /live/cam.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("garbage", "\x16\x03\x01\x00\x08\x01\x00\x00\x04garb")]
    public async Task A_peer_that_does_not_speak_TLS_is_closed_with_a_log_line_while_a_viewer_plays_on(string what, string bytes)
    {
        await using var viewer = FfmpegPlayback.StartCopy(tls.HttpsUrl("live/cam.flv"), 8);
        await WaitForViewersAsync(1);
        using var hostile = new TcpClient();
        await hostile.ConnectAsync("127.0.0.1", tls.HttpsPort);
        var port = ((System.Net.IPEndPoint)hostile.Client.LocalEndPoint!).Port;

        await hostile.GetStream().WriteAsync(Encoding.Latin1.GetBytes(bytes));

        await ReadUntilClosedAsync(hostile);
        await tls.Daemon.WaitForLogAsync(l => l.Contains($"https tls handshake from 127.0.0.1:{port} failed", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(await viewer.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the viewer beside the {what} peer did not finish");
        Assert.Equal(0, viewer.ExitCode);
        Assert.Empty(FfmpegPlayback.ErrorLines(viewer.Stderr));
    }

    [Fact]
    public async Task A_ClientHello_that_never_finishes_is_closed_at_the_handshake_deadline_with_a_log_line()
    {
        using var stalled = new TcpClient();
        await stalled.ConnectAsync("127.0.0.1", tls.RtmpsPort);
        var port = ((System.Net.IPEndPoint)stalled.Client.LocalEndPoint!).Port;

        await stalled.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });

        await ReadUntilClosedAsync(stalled);
        await tls.Daemon.WaitForLogAsync(l => l.Contains($"rtmps tls handshake from 127.0.0.1:{port} failed: handshake not finished within 2000 ms", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }

    private static async Task ReadUntilClosedAsync(TcpClient client)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await client.GetStream().ReadAsync(buffer, deadline.Token) > 0)
        {
        }
    }

    private Task WaitForViewersAsync(int count) =>
        Conditions.UntilAsync(async () => await StreamApi.FindAsync(tls.Daemon, "cam") is { } found && found.GetProperty("viewers").GetProperty("flv").GetInt32() >= count,
            TimeSpan.FromSeconds(20), $"{count} HTTP-FLV viewers of cam");
}
