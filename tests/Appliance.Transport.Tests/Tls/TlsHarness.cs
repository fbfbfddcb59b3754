using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Appliance.Tests.Support;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;

namespace Appliance.Transport.Tests.Tls;

/// <summary>A TLS listener on loopback whose connections echo nothing and are handed to the test, and clients for it.</summary>
internal sealed class TlsHarness : IAsyncDisposable
{
    private readonly TcpAcceptor _acceptor;

    public TlsHarness(TestCertificates ca, TlsCertificateSet set, bool http = true, int handshakeMs = 5000)
    {
        Ca = ca;
        Store = new TlsCertificateStore(set);
        var options = new TlsListenerOptions(Store, http, TimeSpan.FromMilliseconds(handshakeMs))
        {
            HandshakeFailed = (peer, reason) => Failures.Add((peer, reason)),
        };
        _acceptor = TlsAcceptor.Create(new IPEndPoint(IPAddress.Loopback, 0), options, async connection =>
        {
            var done = new TaskCompletionSource();
            Accepted.Add((connection, done));
            await done.Task;
        });
        _acceptor.Start();
    }

    public TestCertificates Ca { get; }

    public TlsCertificateStore Store { get; }

    public int Port => _acceptor.LocalEndPoint.Port;

    /// <summary>Connections that finished their handshake; complete the source to let the connection close.</summary>
    public BlockingCollection<(TlsConnection Connection, TaskCompletionSource Done)> Accepted { get; } = new();

    public ConcurrentBag<(string Peer, string Reason)> Failures { get; } = new();

    public async Task<(SslStream Client, TlsConnection Server, TaskCompletionSource Done)> ConnectAsync(string? serverName = "localhost",
        SslProtocols protocols = SslProtocols.None, List<SslApplicationProtocol>? alpn = null)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var ssl = new SslStream(client.GetStream(), false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = protocols,
            ApplicationProtocols = alpn,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusted(certificate),
        });
        Assert.True(
            Accepted.TryTake(out var server, TimeSpan.FromSeconds(10)),
            $"the server never handed over the connection; handshake failures: {string.Join("; ", Failures.Select(f => f.Reason))}");
        return (ssl, server.Connection, server.Done);
    }

    /// <summary>Issued by the test CA: the client checks the chain itself, as it would against a configured CA file.</summary>
    private bool Trusted(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public async ValueTask DisposeAsync()
    {
        await _acceptor.DisposeAsync();
        while (Accepted.TryTake(out var left))
        {
            left.Done.TrySetResult();
        }
    }
}
