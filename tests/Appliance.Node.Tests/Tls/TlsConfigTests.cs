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
