using System.Net.Sockets;
using System.Text;

namespace Appliance.Load.Hostile;

/// <summary>What each kind of hostile connection sends, as the end-to-end hostile-peer test does.</summary>
internal static class HostilePayloads
{
    private const int HandshakePacket = 1536;
    private static readonly TimeSpan SlowlorisInterval = TimeSpan.FromMilliseconds(500);
    private const int SlowlorisLines = 10;

    /// <summary>The handshake the giant-chunk kind reads before it sends the rest: S0 + S1 + S2.</summary>
    public const int HandshakeReply = 1 + (2 * HandshakePacket);

    /// <summary>
    /// Sends the kind's bytes; <paramref name="path"/> is the HTTP path the requests name. Only the
    /// giant-chunk kind reads (the server's handshake, which it must have before going on).
    /// </summary>
    public static Task SendAsync(HostileKind kind, NetworkStream stream, Random random, string path, string authority, CancellationToken ct) => kind switch
    {
        HostileKind.RandomBytes => RandomBytesAsync(stream, random, ct),
        HostileKind.HalfHandshake => HalfHandshakeAsync(stream, random, ct),
        HostileKind.GiantChunk => GiantChunkAsync(stream, ct),
        HostileKind.OversizedHeaders => OversizedHeadersAsync(stream, path, authority, ct),
        _ => SlowlorisAsync(stream, path, authority, ct),
    };

    private static async Task RandomBytesAsync(NetworkStream stream, Random random, CancellationToken ct)
    {
        var noise = new byte[random.Next(1, 8192)];
        random.NextBytes(noise);
        // Never the RTMP version, so the server cannot take it for a handshake.
        noise[0] = (byte)random.Next(4, 256);
        await stream.WriteAsync(noise, ct).ConfigureAwait(false);
    }

    private static async Task HalfHandshakeAsync(NetworkStream stream, Random random, CancellationToken ct)
    {
        var part = new byte[1 + random.Next(1, 1000)];
        part[0] = 3;
        await stream.WriteAsync(part, ct).ConfigureAwait(false);
    }

    private static async Task GiantChunkAsync(NetworkStream stream, CancellationToken ct)
    {
        var c0c1 = new byte[1 + HandshakePacket];
        c0c1[0] = 3;
        await stream.WriteAsync(c0c1, ct).ConfigureAwait(false);
        await stream.ReadExactlyAsync(new byte[HandshakeReply], ct).ConfigureAwait(false);
        await stream.WriteAsync(new byte[HandshakePacket], ct).ConfigureAwait(false);
        // Set Chunk Size 0x7FFFFFFF, then a video message header announcing 0xFFFFFF bytes.
        await stream.WriteAsync(new byte[] { 0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF }, ct).ConfigureAwait(false);
        await stream.WriteAsync(new byte[] { 0x03, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x09, 1, 0, 0, 0 }, ct).ConfigureAwait(false);
    }

    private static async Task OversizedHeadersAsync(NetworkStream stream, string path, string authority, CancellationToken ct)
    {
        var head = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {authority}\r\n");
        for (var i = 0; i < 100; i++)
        {
            head.Append("X-Junk-").Append(i).Append(": ").Append('v', 400).Append("\r\n");
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), ct).ConfigureAwait(false);
    }

    private static async Task SlowlorisAsync(NetworkStream stream, string path, string authority, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {authority}\r\n"), ct).ConfigureAwait(false);
        for (var i = 0; i < SlowlorisLines; i++)
        {
            await Task.Delay(SlowlorisInterval, ct).ConfigureAwait(false);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: 1\r\n"), ct).ConfigureAwait(false);
        }
    }
}
