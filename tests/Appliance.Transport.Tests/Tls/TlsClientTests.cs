using System.Net.Security;
using Appliance.Tests.Support;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;

namespace Appliance.Transport.Tests.Tls;

/// <summary>
/// The outbound handshake against a real TLS listener: accepted when the certificate chains to
/// the trusted CAs, names the host and (when pinned) has the pinned key; refused otherwise with
/// a reason naming what was wrong.
/// </summary>
public sealed class TlsClientTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly TestCertificates _otherCa = new("Another Test CA");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    private async Task<TlsHarness> ServeAsync(DateTimeOffset? notAfter = null)
    {
        var (cert, key, _) = _ca.Issue("server", ["parent.test"], notBefore: notAfter?.AddDays(-30), notAfter: notAfter);
        await Task.Yield();
        return new TlsHarness(_ca, new TlsCertificateSet([TlsCertificateLoader.Load(["parent.test"], cert, key, DateTime.UtcNow, out _)]));
    }

    private static async Task<SslStream> ConnectAsync(TlsHarness harness, string host, TlsClientTrust trust)
    {
        var tcp = await TcpConnector.Default.ConnectAsync("127.0.0.1", harness.Port, 5000, default);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await TlsClient.AuthenticateAsync(tcp, host, trust, http: true, deadline.Token);
    }

    private TlsClientTrust Trust(TestCertificates ca, byte[]? pin = null) => new(TlsCaFile.Load(ca.CaPath), ca.CaPath, pin);

    [Theory]
    [InlineData("parent.test")]
    [InlineData("127.0.0.1")]
    public async Task A_certificate_of_the_trusted_ca_naming_the_host_is_accepted_with_alpn_http_1_1(string host)
    {
        await using var harness = await ServeAsync();

        await using var stream = await ConnectAsync(harness, host, Trust(_ca));

        Assert.Equal(SslApplicationProtocol.Http11, stream.NegotiatedApplicationProtocol);
        Assert.True(harness.Accepted.TryTake(out var server, TimeSpan.FromSeconds(10)));
        server.Done.SetResult();
    }

    [Fact]
    public async Task The_pinned_key_is_accepted_and_another_is_refused_naming_both()
    {
        await using var harness = await ServeAsync();
        var (_, _, certificate) = _ca.Issue("again", ["parent.test"]);
        var served = harness.Store.Current.Certificates[0];
        var right = TlsClientTrust.ParsePin("sha256//" + Convert.ToBase64String(TlsClientTrust.SpkiSha256(served.Leaf)))!;
        var wrong = TlsClientTrust.SpkiSha256(certificate);

        await using var pinned = await ConnectAsync(harness, "parent.test", Trust(_ca, right));
        var refused = await Assert.ThrowsAsync<TlsHandshakeException>(() => ConnectAsync(harness, "parent.test", Trust(_ca, wrong)));

        Assert.StartsWith("tls: certificate refused: pin mismatch: its public key has SHA-256 " + Convert.ToBase64String(right)
            + ", pinSha256 is " + Convert.ToBase64String(wrong), refused.Message);
    }

    [Fact]
    public async Task A_certificate_of_another_ca_is_refused_naming_the_ca_file_and_the_issuer()
    {
        await using var harness = await ServeAsync();

        var refused = await Assert.ThrowsAsync<TlsHandshakeException>(() => ConnectAsync(harness, "parent.test", Trust(_otherCa)));
        var system = await Assert.ThrowsAsync<TlsHandshakeException>(() => ConnectAsync(harness, "parent.test", TlsClientTrust.SystemStore));

        Assert.StartsWith($"tls: certificate refused: it does not chain to the CAs of {_otherCa.CaPath} (issuer: CN=Appliance Test CA)", refused.Message);
        Assert.StartsWith("tls: certificate refused: it does not chain to the system CA store", system.Message);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused_naming_the_host()
    {
        await using var harness = await ServeAsync();

        var refused = await Assert.ThrowsAsync<TlsHandshakeException>(() => ConnectAsync(harness, "elsewhere.test", Trust(_ca)));

        Assert.Equal("tls: certificate refused: it does not name elsewhere.test (subject CN=parent.test)", refused.Message);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_with_its_expiry()
    {
        var expired = DateTimeOffset.UtcNow.AddDays(-2);
        await using var harness = await ServeAsync(notAfter: expired);

        var refused = await Assert.ThrowsAsync<TlsHandshakeException>(() => ConnectAsync(harness, "parent.test", Trust(_ca)));

        Assert.StartsWith($"tls: certificate refused: it expired on {expired.UtcDateTime:yyyy-MM-dd HH:mm}", refused.Message);
    }

    [Fact]
    public async Task A_server_that_is_not_tls_fails_the_handshake_with_a_reason()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            // The ClientHello first, so closing does not reset the connection under unread bytes.
            await peer.GetStream().ReadAtLeastAsync(new byte[16 * 1024], 5, throwOnEndOfStream: false);
            await peer.GetStream().WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
            peer.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        var tcp = await TcpConnector.Default.ConnectAsync("127.0.0.1", port, 5000, default);

        var failed = await Assert.ThrowsAsync<TlsHandshakeException>(() => TlsClient.AuthenticateAsync(tcp, "parent.test", Trust(_ca), http: true, default));

        Assert.StartsWith("tls: ", failed.Message);
        Assert.DoesNotContain("certificate refused", failed.Message, StringComparison.Ordinal);
        await serving;
    }
}
