using Appliance.Tests.Support;
using Appliance.Transport.Tls;

namespace Appliance.Transport.Tests.Tls;

public sealed class TlsCertificateLoaderTests : IDisposable
{
    private readonly TestCertificates _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void A_good_pair_loads_with_its_expiry_and_no_warning()
    {
        var (cert, key, issued) = _ca.Issue("good", ["a.test"]);

        var loaded = TlsCertificateLoader.Load(["a.test"], cert, key, DateTime.UtcNow, out var warning);

        Assert.Null(warning);
        Assert.Equal(issued.NotAfter.ToUniversalTime(), loaded.NotAfterUtc);
        Assert.Equal("a.test", loaded.Label);
    }

    [Fact]
    public void A_missing_certificate_file_is_refused_naming_the_path()
    {
        var (_, key, _) = _ca.Issue("good", ["a.test"]);
        var missing = Path.Combine(_ca.Directory, "nope.crt");

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificateLoader.Load([], missing, key, DateTime.UtcNow, out _));

        Assert.Equal($"{missing}: cannot read the certificate: no such file", error.Message);
    }

    [Fact]
    public void A_missing_key_file_is_refused_naming_the_path()
    {
        var (cert, _, _) = _ca.Issue("good", ["a.test"]);
        var missing = Path.Combine(_ca.Directory, "nope.key");

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificateLoader.Load([], cert, missing, DateTime.UtcNow, out _));

        Assert.Equal($"{missing}: cannot read the key: no such file", error.Message);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused()
    {
        var (cert, _, _) = _ca.Issue("one", ["a.test"]);
        var (_, otherKey, _) = _ca.Issue("two", ["b.test"]);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificateLoader.Load([], cert, otherKey, DateTime.UtcNow, out _));

        Assert.Equal($"{otherKey}: not the private key of the certificate in {cert}", error.Message);
    }

    [Fact]
    public void A_key_file_without_a_key_is_refused()
    {
        var (cert, _, _) = _ca.Issue("one", ["a.test"]);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificateLoader.Load([], cert, cert, DateTime.UtcNow, out _));

        Assert.Equal($"{cert}: no BEGIN PRIVATE KEY block in the file", error.Message);
    }

    [Fact]
    public void A_file_without_a_certificate_is_refused()
    {
        var (_, key, _) = _ca.Issue("one", ["a.test"]);

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificateLoader.Load([], key, key, DateTime.UtcNow, out _));

        Assert.Equal($"{key}: no BEGIN CERTIFICATE block in the file", error.Message);
    }

    [Fact]
    public void A_certificate_not_valid_yet_is_refused()
    {
        var (cert, key, _) = _ca.Issue("future", ["a.test"], notBefore: DateTimeOffset.UtcNow.AddDays(2), notAfter: DateTimeOffset.UtcNow.AddDays(30));

        var error = Assert.Throws<TlsCertificateException>(() => TlsCertificateLoader.Load([], cert, key, DateTime.UtcNow, out _));

        Assert.StartsWith($"{cert}: not valid before ", error.Message);
    }

    [Fact]
    public void An_expired_certificate_loads_with_a_warning()
    {
        var (cert, key, _) = _ca.Issue("old", ["a.test"], notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        var loaded = TlsCertificateLoader.Load([], cert, key, DateTime.UtcNow, out var warning);

        Assert.NotNull(loaded);
        Assert.StartsWith($"{cert}: expired on ", warning);
    }
}
