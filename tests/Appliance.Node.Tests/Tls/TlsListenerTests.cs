using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Appliance.Node.Config;
using Appliance.Node.Server;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Tls;

/// <summary>
/// A node with its HTTPS and RTMPS listeners on loopback: the HTTP session answers over TLS,
/// failed handshakes are one log line each, and a reload swaps the certificate for new
/// handshakes only, or keeps it when the new file is bad.
/// </summary>
public sealed class TlsListenerTests : IAsyncDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly LogCollector _logs = new();
    private readonly string _configPath;
    private readonly string _cert;
    private readonly string _key;
    private readonly X509Certificate2 _issued;
    private readonly ApplianceServer _server;

    public TlsListenerTests()
    {
        (_cert, _key, _issued) = _ca.Issue("node", ["localhost", "a.test"]);
        var config = new ApplianceConfig();
        config.Rtmp.Listen = "127.0.0.1:0";
        config.Http.Listen = "127.0.0.1:0";
        config.Https.Listen = "127.0.0.1:0";
        config.Rtmps.Listen = "127.0.0.1:0";
        config.Admin.Listen = "";
        config.Control.Socket = "off";
        config.Deadlines.HandshakeMs = 500;
        config.Tls.Certificates = [new TlsCertificateConfig { Names = ["localhost", "a.test"], Cert = _cert, Key = _key }];
        _configPath = Path.Combine(_ca.Directory, "appliance.json");
        File.WriteAllText(_configPath, ConfigLoader.ToJson(config));
        _server = new ApplianceServer(ConfigLoader.Load(_configPath), new LoggerFactory([_logs]), _configPath);
        _server.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public async Task An_HTTP_request_over_TLS_gets_the_HTTP_sessions_answer_and_is_counted_as_https()
    {
        await using var client = await ConnectAsync(_server.HttpsEndPoint!);

        var response = await GetAsync(client, "/live/nothing.flv");

        Assert.StartsWith("HTTP/1.1 404", response);
        Assert.Contains(("https", _server.HttpsEndPoint!.ToString()), _server.Listeners);
        Assert.Contains(("rtmps", _server.RtmpsEndPoint!.ToString()), _server.Listeners);
        Assert.Equal(1, _server.Context.Traffic.Accepted(Array.IndexOf(Transport.Accounting.TrafficTotals.Listeners, "https")));
    }

    [Fact]
    public async Task The_RTMPS_listener_runs_the_RTMP_handshake_over_TLS()
    {
        await using var client = await ConnectAsync(_server.RtmpsEndPoint!);
        var c0c1 = new byte[1537];
        c0c1[0] = 3;

        await client.WriteAsync(c0c1);
        var s0 = new byte[1];
        await client.ReadExactlyAsync(s0);

        Assert.Equal(3, s0[0]);
    }

    [Fact]
    public async Task Plain_HTTP_to_the_TLS_port_is_one_log_line_and_a_TLS_client_beside_it_is_served()
    {
        using var plain = new TcpClient();
        await plain.ConnectAsync(_server.HttpsEndPoint!);
        await plain.GetStream().WriteAsync("GET /live/x.flv HTTP/1.1\r\nHost: a\r\n\r\n"u8.ToArray());
        await using var client = await ConnectAsync(_server.HttpsEndPoint!);

        Assert.StartsWith("HTTP/1.1 404", await GetAsync(client, "/live/nothing.flv"));
        await Eventually.WaitAsync(() => _logs.Contains("https tls handshake from 127.0.0.1:"), "the failed handshake's log line");
        Assert.Single(_logs.Lines, l => l.Message.Contains("tls handshake from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ClientHello_that_never_finishes_is_closed_at_deadlines_handshakeMs()
    {
        using var stalled = new TcpClient();
        await stalled.ConnectAsync(_server.HttpsEndPoint!);
        await stalled.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 });

        var read = await stalled.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
        await Eventually.WaitAsync(() => _logs.Contains("failed: handshake not finished within 500 ms"), "the deadline's log line");
    }

    [Fact]
    public async Task A_reload_gives_new_handshakes_the_renewed_certificate_and_an_open_connection_keeps_working()
    {
        await using var before = await ConnectAsync(_server.HttpsEndPoint!);
        var (_, _, renewed) = _ca.Issue("node", ["localhost", "a.test"]);

        var reply = _server.Reload();

        Assert.True(reply.Ok, reply.Error);
        await using var after = await ConnectAsync(_server.HttpsEndPoint!);
        Assert.Equal(renewed.Thumbprint, after.RemoteCertificate!.GetCertHashString());
        Assert.NotEqual(renewed.Thumbprint, before.RemoteCertificate!.GetCertHashString());
        Assert.StartsWith("HTTP/1.1 404", await GetAsync(before, "/live/nothing.flv"));
    }

    [Fact]
    public async Task A_broken_certificate_file_refuses_the_reload_naming_the_path_and_the_old_certificate_stays()
    {
        await using var before = await ConnectAsync(_server.HttpsEndPoint!);
        var running = before.RemoteCertificate!.GetCertHashString();
        File.WriteAllText(_cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");

        var reply = _server.Reload();

        Assert.False(reply.Ok);
        Assert.Contains($"$.tls.certificates[0]: {_cert}: ", reply.Error);
        Assert.True(_logs.Contains($"reload refused, the running config stays: $.tls.certificates[0]: {_cert}: "), _logs.Dump());
        await using var after = await ConnectAsync(_server.HttpsEndPoint!);
        Assert.Equal(running, after.RemoteCertificate!.GetCertHashString());
    }

    [Fact]
    public void The_certificates_expiry_is_in_metrics_and_in_the_status_reply()
    {
        var expiry = new DateTimeOffset(_issued.NotAfter.ToUniversalTime()).ToUnixTimeSeconds();

        var metrics = Encoding.UTF8.GetString(Appliance.Node.Metrics.NodeMetrics.Render(_server));
        var snapshot = Appliance.Node.Hosting.NodeStatus.Capture(_server);
        var status = Appliance.Node.ControlSocket.StatusReports.From(snapshot);

        Assert.Contains($"appliance_tls_certificate_expiry_seconds{{name=\"localhost\",path=\"{_cert}\"}} {expiry}\n", metrics);
        var report = Assert.Single(status.Certificates);
        Assert.Equal(("localhost", _cert, _issued.NotAfter.ToUniversalTime()), (report.Name, report.Path, report.NotAfter));
        using var json = System.Text.Json.JsonDocument.Parse(Appliance.Node.Http.StatusApi.Render(snapshot));
        var listed = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray().ToList());
        Assert.Equal((_cert, $"{_issued.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}"), (listed.GetProperty("path").GetString(), listed.GetProperty("notAfter").GetString()));
    }

    private async Task<SslStream> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        var ssl = new SslStream(tcp.GetStream(), false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "a.test",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_ca.Ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData()));
            },
        });
        return ssl;
    }

    private static async Task<string> GetAsync(SslStream client, string path)
    {
        await client.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: a.test\r\n\r\n"));
        var buffer = new byte[4096];
        var read = await client.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
