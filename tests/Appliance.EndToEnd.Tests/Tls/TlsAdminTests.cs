using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tls;

/// <summary>admin.tls: the admin listener (metrics, status, command API) speaks HTTPS with the node's certificates, and only HTTPS.</summary>
public sealed class TlsAdminTests
{
    [Fact]
    public async Task The_admin_api_answers_over_https_verified_against_the_test_ca_and_refuses_plain_http_with_a_log_line()
    {
        using var ca = new TestCertificates();
        var (cert, key, _) = ca.Issue("admin", ["admin.test"]);
        await using var daemon = await DaemonProcess.StartAsync(rootJson: $$"""
            "admin": { "listen": "127.0.0.1:0", "tls": true, "token": "admin-token-0123456789abcdef" },
            "tls": { "certificates": [ { "names": ["admin.test"], "cert": "{{cert}}", "key": "{{key}}" } ] },
            """);
        var url = $"https://admin.test:{daemon.AdminPort}";
        string[] resolve = ["--resolve", $"admin.test:{daemon.AdminPort}:127.0.0.1", "--cacert", ca.CaPath];

        var metrics = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", [.. resolve, "-sS", "-f", $"{url}/metrics"]);
        var status = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", [.. resolve, "-sS", "-f", $"{url}/api/status"]);
        var command = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl",
            [.. resolve, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer wrong-token-0123456789abcdef", $"{url}/api/v1/reload"]);
        var streams = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl",
            [.. resolve, "-sS", "-f", "-H", "Authorization: Bearer admin-token-0123456789abcdef", $"{url}/api/v1/streams"]);
        var plain = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), "curl", "-sS", "-m", "10", $"http://127.0.0.1:{daemon.AdminPort}/metrics");

        Assert.Equal(0, metrics.ExitCode);
        Assert.Contains("appliance_tls_certificate_expiry_seconds", metrics.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("\"sessions\"", status.Stdout, StringComparison.Ordinal);
        Assert.Equal("401", command.Stdout.Trim());
        Assert.Equal(0, streams.ExitCode);
        Assert.Contains("\"streams\"", streams.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, plain.ExitCode);
        await daemon.WaitForLogAsync(l => l.Contains("admin tls handshake from 127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}
