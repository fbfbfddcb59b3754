using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Appliance.Core.Buffers;
using Appliance.Tests.Support;
using Appliance.Transport.Tls;

namespace Appliance.Transport.Tests.Tls;

public sealed class TlsConnectionTests : IDisposable
{
    private readonly TestCertificates _ca = new();

    public void Dispose() => _ca.Dispose();

    private TlsCertificate Load(string file, params string[] names)
    {
        var (cert, key, _) = _ca.Issue(file, names);
        return TlsCertificateLoader.Load(names, cert, key, DateTime.UtcNow, out _);
    }

    [Fact]
    public async Task A_batch_of_shared_buffers_reaches_the_client_decrypted_in_order_with_one_write()
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]));
        var (client, server, done) = await harness.ConnectAsync();
        var buffers = Enumerable.Range(0, 10).Select(i => SharedBuffer.CopyOf(Enumerable.Repeat((byte)i, 1000).ToArray())).ToArray();

        await server.Output.WriteAsync(buffers.Select(b => new BufferSlice(b)).ToArray(), default);

        var received = new byte[10_000];
        await client.ReadExactlyAsync(received);
        Assert.Equal(buffers.SelectMany(b => b.Span.ToArray()).ToArray(), received);
        Assert.Equal(1, server.Output.Syscalls);
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }
        done.SetResult();
    }

    [Fact]
    public async Task What_the_client_sends_is_read_decrypted_from_the_pipe()
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]));
        var (client, server, done) = await harness.ConnectAsync();

        await client.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        var result = await server.Input.ReadAtLeastAsync(18);

        Assert.Equal("GET / HTTP/1.1\r\n\r\n", System.Text.Encoding.ASCII.GetString(System.Buffers.BuffersExtensions.ToArray(result.Buffer.Slice(0, 18))));
        done.SetResult();
    }

    [Fact]
    public async Task Only_TLS_1_2_and_1_3_are_offered_and_https_listeners_negotiate_alpn_http_1_1()
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]));
        var (client, server, done) = await harness.ConnectAsync(alpn: [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

        Assert.Equal(SslApplicationProtocol.Http11, client.NegotiatedApplicationProtocol);
        Assert.Equal(SslProtocols.Tls13, server.Protocol);
        done.SetResult();
        var (client12, server12, done12) = await harness.ConnectAsync(protocols: SslProtocols.Tls12);
        Assert.Equal(SslProtocols.Tls12, server12.Protocol);
        Assert.Equal(SslProtocols.Tls12, client12.SslProtocol);
        done12.SetResult();
    }

    [Fact]
    public async Task The_certificate_is_chosen_by_the_name_the_client_asks_for_and_unknown_names_get_the_first()
    {
        var first = Load("default", "default.test");
        var exact = Load("b", "b.example.test");
        var wildcard = Load("w", "*.example.test");
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([first, wildcard, exact]));

        async Task<string> SubjectFor(string? name)
        {
            var (client, _, done) = await harness.ConnectAsync(name);
            done.SetResult();
            return client.RemoteCertificate!.Subject;
        }

        Assert.Equal("CN=b.example.test", await SubjectFor("b.example.test"));
        Assert.Equal("CN=*.example.test", await SubjectFor("c.example.test"));
        Assert.Equal("CN=default.test", await SubjectFor("x.c.example.test"));
        Assert.Equal("CN=default.test", await SubjectFor("other.test"));
    }

    [Fact]
    public async Task A_replaced_set_is_presented_to_new_handshakes_while_an_open_connection_keeps_working()
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("old", "localhost")]));
        var (oldClient, oldServer, oldDone) = await harness.ConnectAsync();
        var renewed = Load("new", "localhost");

        harness.Store.Replace(new TlsCertificateSet([renewed]));
        var (newClient, _, newDone) = await harness.ConnectAsync();

        Assert.Equal(renewed.Leaf.Thumbprint, newClient.RemoteCertificate!.GetCertHashString());
        Assert.NotEqual(renewed.Leaf.Thumbprint, oldClient.RemoteCertificate!.GetCertHashString());
        var buffer = SharedBuffer.CopyOf("still here"u8);
        await oldServer.Output.WriteAsync(new[] { new BufferSlice(buffer) }, default);
        var received = new byte[10];
        await oldClient.ReadExactlyAsync(received);
        Assert.Equal("still here"u8.ToArray(), received);
        buffer.Release();
        oldDone.SetResult();
        newDone.SetResult();
    }

    [Theory]
    [InlineData("garbage", "\x16\x03\x01\x00\x08\x01\x00\x00\x04garb")]
    [InlineData("ServerHello", "\x16\x03\x01\x00\x08\x02\x00\x00\x04garb")]
    [InlineData("Finished", "\x16\x03\x03\x00\x08\x14\x00\x00\x04garb")]
    [InlineData("noise", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09")]
    [InlineData("plain HTTP", "GET /live/s.flv HTTP/1.1\r\nHost: x\r\n\r\n")]
    public async Task A_peer_that_does_not_speak_TLS_is_closed_with_one_reported_reason(string what, string bytes)
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]));
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, harness.Port);
        await raw.GetStream().WriteAsync(System.Text.Encoding.Latin1.GetBytes(bytes));

        var read = await ReadOrClosedAsync(raw.GetStream(), 4096);
        // Whatever the server said (an alert, or nothing), it closed: the next read sees the end.
        while (read > 0)
        {
            read = await ReadOrClosedAsync(raw.GetStream(), 4096);
        }
        await Eventually.WaitAsync(() => !harness.Failures.IsEmpty, $"the {what} handshake failure to be reported");
        Assert.Single(harness.Failures);
        Assert.Empty(harness.Accepted);
    }

    [Fact]
    public async Task A_ClientHello_that_never_finishes_is_closed_at_the_handshake_deadline_while_another_client_connects()
    {
        // The deadline holds for the good client too: long enough that its handshake finishes on a
        // loaded machine (the server's side ends only when the client's Finished arrives).
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]), handshakeMs: 2000);
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, harness.Port);
        // A handshake record header announcing 512 bytes, then silence.
        await raw.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });

        var (client, _, done) = await harness.ConnectAsync();
        Assert.True(client.IsAuthenticated);
        var read = await raw.GetStream().ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
        await Eventually.WaitAsync(() => !harness.Failures.IsEmpty, "the deadline to be reported");
        Assert.Contains("handshake not finished within 2000 ms", Assert.Single(harness.Failures).Reason);
        done.SetResult();
    }

    /// <summary>
    /// A read that sees the server close: 0 at the end of the stream, or a reset (the server closes
    /// with bytes it never read, such as a record it refused after peeking at it: the kernel resets).
    /// </summary>
    private static async Task<int> ReadOrClosedAsync(NetworkStream stream, int size)
    {
        try
        {
            return await stream.ReadAsync(new byte[size]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return 0;
        }
    }

    [Fact]
    public async Task A_record_header_cut_short_is_closed_at_the_handshake_deadline()
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]), handshakeMs: 300);
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, harness.Port);
        await raw.GetStream().WriteAsync(new byte[] { 0x16, 0x03 });

        var read = await ReadOrClosedAsync(raw.GetStream(), 64);

        Assert.Equal(0, read);
        await Eventually.WaitAsync(() => !harness.Failures.IsEmpty, "the deadline to be reported");
        Assert.Contains("handshake not finished within 300 ms", Assert.Single(harness.Failures).Reason);
    }

    [Fact]
    public async Task A_client_initiated_renegotiation_ends_that_connection_and_another_keeps_working()
    {
        await using var harness = new TlsHarness(_ca, new TlsCertificateSet([Load("a", "localhost")]));
        var (other, otherServer, otherDone) = await harness.ConnectAsync();
        // openssl's interactive "R" asks for a renegotiation on TLS 1.2 (1.3 has none).
        var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
            ["s_client", "-tls1_2", "-connect", $"127.0.0.1:{harness.Port}", "-servername", "localhost"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            Assert.True(harness.Accepted.TryTake(out var server, TimeSpan.FromSeconds(10)), "openssl's handshake never completed");
            await openssl.StandardInput.WriteLineAsync("R");
            await openssl.StandardInput.FlushAsync();

            // The server reads the renegotiation request and fails that connection's read.
            var ended = false;
            Exception? failed = null;
            try
            {
                ended = (await server.Connection.Input.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsCompleted;
            }
            catch (Exception ex) when (ex is not TimeoutException)
            {
                failed = ex;
            }
            Assert.True(ended || failed is not null, "the connection survived a renegotiation request");
            server.Done.SetResult();
            Assert.True(openssl.WaitForExit(10_000), "openssl kept its connection after asking to renegotiate");
            Assert.Contains("RENEGOTIATING", await openssl.StandardOutput.ReadToEndAsync() + await openssl.StandardError.ReadToEndAsync());

            var buffer = SharedBuffer.CopyOf("ok"u8);
            await otherServer.Output.WriteAsync(new[] { new BufferSlice(buffer) }, default);
            var received = new byte[2];
            await other.ReadExactlyAsync(received);
            Assert.Equal("ok"u8.ToArray(), received);
            buffer.Release();
            otherDone.SetResult();
        }
        finally
        {
            if (!openssl.HasExited)
            {
                openssl.Kill();
            }
            openssl.Dispose();
        }
    }
}
