using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Hundreds of hostile connections at once (random bytes, half handshakes, giant chunk sizes,
/// oversized headers, slowloris; on the HTTPS port garbage for a ClientHello or another handshake message first, a ClientHello cut
/// short then silence, a handshake whose client Finished never comes) while ffmpeg publishes and
/// viewers play: the viewers notice nothing, memory stays bounded, every bad connection is
/// closed, and each failed TLS handshake is one log line.
/// </summary>
public sealed class HostilePeerTests(ITestOutputHelper output)
{
    private const int Attackers = 320;
    private const int Kinds = 8;
    private const int FirstTlsKind = 5;
    private const int AtOnce = 100;

    [Fact]
    public async Task Hundreds_of_hostile_connections_leave_viewers_unstalled_memory_bounded_and_are_all_closed()
    {
        using var ca = new TestCertificates();
        var (cert, key, _) = ca.Issue("node", ["node.test"]);
        await using var daemon = await DaemonProcess.StartAsync(deadlinesJson: "\"handshakeMs\": 2000, \"requestHeaderMs\": 2000",
            rootJson: $$"""
                "https": { "listen": "127.0.0.1:0" },
                "tls": { "certificates": [ { "cert": "{{cert}}", "key": "{{key}}" } ] },
                """);
        var httpsPort = daemon.PortOf("https");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 25, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var rtmp = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token));
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= 10, TimeSpan.FromSeconds(10), "10 frames before the attack");
        var baselineSessions = await SessionsAsync(daemon);

        var random = new Random(1234);
        var closed = 0;
        using var gate = new SemaphoreSlim(AtOnce);
        var attacks = Enumerable.Range(0, Attackers).Select(async i =>
        {
            await gate.WaitAsync(cts.Token);
            try
            {
                if (await AttackAsync(daemon, httpsPort, i % Kinds, new Random(random.Next()), cts.Token))
                {
                    Interlocked.Increment(ref closed);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(attacks);

        Assert.Equal(Attackers, closed);
        // One line per failed handshake: no more (a line per read), no fewer (a silent drop).
        var tlsAttacks = Enumerable.Range(0, Attackers).Count(i => i % Kinds >= FirstTlsKind);
        await WaitAsync(() => Task.FromResult(HandshakeLines(daemon) >= tlsAttacks), $"{tlsAttacks} handshake failure lines");
        Assert.Equal(tlsAttacks, HandshakeLines(daemon));
        var status = await StatusAsync(daemon);
        Assert.True(status.GetProperty("memory").GetProperty("rssBytes").GetInt64() < 256L * 1024 * 1024,
            $"RSS grew to {status.GetProperty("memory").GetProperty("rssBytes").GetInt64() / (1024 * 1024)} MiB");
        await WaitAsync(async () => await SessionsAsync(daemon) <= baselineSessions, "every hostile session closed");
        var seen = (rtmp.VideoFrames, flv.VideoFrames);
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= seen.Item1 + 25, TimeSpan.FromSeconds(10), "25 more frames after the attack");
        await flv.WaitUntilAsync(v => v.VideoFrames >= seen.Item2 + 25, TimeSpan.FromSeconds(10), "25 more frames after the attack");
        output.WriteLine($"longest gaps: RTMP {rtmp.LongestGapMs} ms, HTTP-FLV {flv.LongestGapMs} ms");
        Assert.True(rtmp.LongestGapMs < 1000, $"the RTMP viewer stalled for {rtmp.LongestGapMs} ms");
        Assert.True(flv.LongestGapMs < 1000, $"the HTTP-FLV viewer stalled for {flv.LongestGapMs} ms");
        Assert.False(rtmp.Ended || flv.Ended || publisher.HasExited, "a bystander was disconnected");
    }

    private static int HandshakeLines(DaemonProcess daemon) => daemon.Lines.Count(l => l.Contains("https tls handshake from 127.0.0.1:", StringComparison.Ordinal));

    /// <summary>One hostile connection of the given kind; true once the server has closed it.</summary>
    private static async Task<bool> AttackAsync(DaemonProcess daemon, int httpsPort, int kind, Random random, CancellationToken ct)
    {
        var rtmp = kind is 0 or 1 or 2;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", rtmp ? daemon.RtmpPort : kind >= FirstTlsKind ? httpsPort : daemon.HttpPort, ct);
        var stream = tcp.GetStream();
        try
        {
            switch (kind)
            {
                case 0:
                    // Random bytes where a handshake should be.
                    var noise = new byte[random.Next(1, 8192)];
                    random.NextBytes(noise);
                    noise[0] = (byte)random.Next(4, 256);
                    await stream.WriteAsync(noise, ct);
                    break;
                case 1:
                    // Half a handshake (a valid C0, part of C1), then silence until the handshake deadline.
                    var half = new byte[1 + random.Next(1, 1000)];
                    half[0] = 3;
                    await stream.WriteAsync(half, ct);
                    break;
                case 2:
                    // A complete handshake, then a gigantic chunk size and a message header announcing 16 MiB.
                    var raw = new byte[1537];
                    raw[0] = 3;
                    await stream.WriteAsync(raw, ct);
                    await stream.ReadExactlyAsync(new byte[3073], ct);
                    await stream.WriteAsync(new byte[1536], ct);
                    await stream.WriteAsync(new byte[] { 0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF }, ct);
                    await stream.WriteAsync(new byte[] { 0x03, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x09, 1, 0, 0, 0 }, ct);
                    break;
                case 3:
                    // An oversized header block.
                    var headers = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
                    for (var i = 0; i < 100; i++)
                    {
                        headers.Append("X-Junk-").Append(i).Append(": ").Append('v', 400).Append("\r\n");
                    }
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(headers.Append("\r\n").ToString()), ct);
                    break;
                case 5:
                    // A handshake record, then random bytes for its body: half announce a ClientHello,
                    // half another message type (refused before SslStream, which would wait on one for good).
                    var garbage = new byte[5 + random.Next(16, 2000)];
                    random.NextBytes(garbage);
                    garbage[0] = 0x16;
                    garbage[1] = 0x03;
                    garbage[2] = 0x01;
                    garbage[3] = (byte)((garbage.Length - 5) >> 8);
                    garbage[4] = (byte)(garbage.Length - 5);
                    garbage[5] = random.Next(2) == 0 ? (byte)0x01 : (byte)random.Next(2, 256);
                    await stream.WriteAsync(garbage, ct);
                    break;
                case 6:
                    // A ClientHello record announced at 512 bytes, a few of them sent, then silence until the handshake deadline.
                    await stream.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 }, ct);
                    break;
                case 7:
                    // A real handshake whose client Finished never reaches the server: cut mid-way.
                    await CutHandshakeAsync(stream, ct);
                    break;
                default:
                    // Slowloris: a header line now and then, never the end of the head.
                    await stream.WriteAsync("GET /live/cam.flv HTTP/1.1\r\n"u8.ToArray(), ct);
                    for (var i = 0; i < 10 && tcp.Connected; i++)
                    {
                        await Task.Delay(500, ct);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: 1\r\n"), ct);
                    }
                    break;
            }
        }
        catch (IOException)
        {
            return true;
        }
        return await ClosedAsync(stream, TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// Runs a TLS client over <paramref name="stream"/> that sends its ClientHello and reads the
    /// server's flight, but whose later writes (its Finished) are dropped: the server waits for
    /// the rest of a handshake that never comes. Whether the client thinks it finished does not matter.
    /// </summary>
    private static async Task CutHandshakeAsync(NetworkStream stream, CancellationToken ct)
    {
        using var cut = new System.Net.Security.SslStream(new FirstWriteOnly(stream), leaveInnerStreamOpen: true);
        using var quick = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quick.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await cut.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "node.test",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, quick.Token);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
        }
    }

    /// <summary>Passes reads and the first write through; drops every later write.</summary>
    private sealed class FirstWriteOnly(NetworkStream inner) : Stream
    {
        private bool _wrote;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_wrote)
            {
                _wrote = true;
                await inner.WriteAsync(buffer, cancellationToken);
            }
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static async Task<bool> ClosedAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> StatusAsync(DaemonProcess daemon)
    {
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync(daemon.AdminUrl("api/status")));
        return doc.RootElement.Clone();
    }

    private static async Task<int> SessionsAsync(DaemonProcess daemon) => (await StatusAsync(daemon)).GetProperty("sessions").GetInt32();

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var started = Environment.TickCount64;
        while (!await condition())
        {
            if (Environment.TickCount64 - started > 15_000)
            {
                throw new TimeoutException($"{what}: not within 15 s");
            }
            await Task.Delay(100);
        }
    }
}
