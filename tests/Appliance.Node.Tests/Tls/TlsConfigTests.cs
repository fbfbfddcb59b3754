using Appliance.Node.Config;
using Appliance.Node.Tls;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Tls;

/// <summary>The TLS keys: what the validator refuses, and what reading the certificate files refuses, each naming the key.</summary>
public sealed class TlsConfigTests : IDisposable
{
    private readonly TestCertificates _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void The_embedded_default_opens_no_TLS_listener()
    {
        var config = new ApplianceConfig();

        Assert.Equal(("", "", 0), (config.Https.Listen, config.Rtmps.Listen, config.Tls.Certificates.Count));
        Assert.Null(NodeCertificates.Open(config, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }

    [Theory]
    [InlineData("""{ "https": { "listen": "127.0.0.1:0" } }""", "$.tls.certificates: https.listen is set, so at least one certificate is needed")]
    [InlineData("""{ "rtmps": { "listen": "127.0.0.1:0" } }""", "$.tls.certificates: rtmps.listen is set, so at least one certificate is needed")]
    [InlineData("""{ "https": { "listen": "nowhere" } }""", "$.https.listen: 'nowhere' is not host:port (or empty for no HTTPS listener)")]
    [InlineData("""{ "rtmps": { "listen": "443" } }""", "$.rtmps.listen: '443' is not host:port (or empty for no RTMPS listener)")]
    [InlineData("""{ "tls": { "certificates": [ { "cert": "a.crt", "key": "/k.key" } ] } }""", "$.tls.certificates[0].cert: must be the absolute path of a PEM certificate")]
    [InlineData("""{ "tls": { "certificates": [ { "cert": "/a.crt", "key": "" } ] } }""", "$.tls.certificates[0].key: must be the absolute path of a PEM private key")]
    [InlineData("""{ "tls": { "certificates": [ { "names": ["a.test:443"], "cert": "/a.crt", "key": "/k.key" } ] } }""", "$.tls.certificates[0].names[0]: must be a host name, or *. and a host name")]
    [InlineData("""{ "http": { "listen": "127.0.0.1:8443" }, "https": { "listen": "0.0.0.0:8443" } }""", "$.https.listen: port 8443 is already used by $.http.listen ('127.0.0.1:8443')")]
    [InlineData("""{ "admin": { "listen": "127.0.0.1:9135", "tls": true } }""", "$.tls.certificates: admin.tls is true, so at least one certificate is needed")]
    [InlineData("""{ "tls": { "caFile": "ca.pem" } }""", "$.tls.caFile: must be the absolute path of a PEM file of CA certificates")]
    [InlineData("""{ "tls": { "caFile": "/nonexistent/appliance/ca.pem" } }""", "$.tls.caFile: /nonexistent/appliance/ca.pem: cannot read the CA file: no such file")]
    [InlineData("""{ "tls": { "caFile": null } }""", "$.tls.caFile: must be a string: the absolute path of a PEM file of CA certificates, or empty for the system store")]
    [InlineData("""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "push": ["https://upper/{stream}.flv"] } ] } ] }""", "$.domains[0].apps[0].push[0]: must be an rtmp://, rtmps:// or srt:// URL")]
    public void A_bad_key_is_refused_with_its_path(string json, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "test.json"));

        Assert.Contains($"test.json: {message}", error.Message);
    }

    [Fact]
    public void A_complete_TLS_config_parses()
    {
        var config = ConfigLoader.Parse("""
            { "https": { "listen": "127.0.0.1:8443" }, "rtmps": { "listen": "127.0.0.1:1936" },
              "tls": { "certificates": [ { "names": ["a.test", "*.b.test"], "cert": "/etc/appliance/a.crt", "key": "/etc/appliance/a.key" } ] } }
            """);

        Assert.Equal(["a.test", "*.b.test"], config.Tls.Certificates[0].Names);
    }

    [Fact]
    public void A_ca_file_without_certificates_is_refused_and_a_good_one_is_read_at_start()
    {
        var (_, key, _) = _ca.Issue("a", ["a.test"]);

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($$"""{ "tls": { "caFile": "{{key}}" } }""", "test.json"));
        var config = ConfigLoader.Parse($$"""
            { "admin": { "tls": true }, "https": { "listen": "127.0.0.1:0" },
              "tls": { "caFile": "{{_ca.CaPath}}", "certificates": [ { "cert": "/etc/appliance/a.crt", "key": "/etc/appliance/a.key" } ] } }
            """, "test.json");
        var trust = OutboundTls.Read(config);

        Assert.Contains($"test.json: $.tls.caFile: {key}: no BEGIN CERTIFICATE block in the file", error.Message);
        Assert.Equal(_ca.CaPath, trust.CaFile);
        Assert.Equal(_ca.Ca.Thumbprint, Assert.Single(trust.Roots!).Thumbprint);
        Assert.True(config.Admin.Tls);
        Assert.Null(OutboundTls.Read(new ApplianceConfig()).Roots);
    }

    [Fact]
    public void A_missing_file_is_named_with_its_key()
    {
        var (_, key, _) = _ca.Issue("a", ["a.test"]);
        var missing = Path.Combine(_ca.Directory, "missing.crt");
        var tls = new TlsConfig { Certificates = [new TlsCertificateConfig { Cert = missing, Key = key }] };

        var error = Assert.Throws<ConfigException>(() => NodeCertificates.Read(tls, DateTime.UtcNow, out _));

        Assert.Equal($"$.tls.certificates[0]: {missing}: cannot read the certificate: no such file", error.Message);
    }

    [Fact]
    public void An_expired_certificate_is_read_with_a_warning()
    {
        var (cert, key, _) = _ca.Issue("old", ["a.test"], DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(-2));
        var tls = new TlsConfig { Certificates = [new TlsCertificateConfig { Names = ["a.test"], Cert = cert, Key = key }] };

        var set = NodeCertificates.Read(tls, DateTime.UtcNow, out var warnings);

        Assert.Single(set.Certificates);
        Assert.StartsWith($"{cert}: expired on ", Assert.Single(warnings));
    }

    [Fact]
    public void No_certificates_for_running_listeners_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => NodeCertificates.Read(new TlsConfig(), DateTime.UtcNow, out _));

        Assert.Equal("$.tls.certificates: the running TLS listeners need at least one certificate", error.Message);
    }
}
