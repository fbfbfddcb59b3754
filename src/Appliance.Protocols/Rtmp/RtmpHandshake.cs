using System.Buffers.Binary;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The RTMP handshake (C0 C1 / S0 S1 S2 / C2). The server accepts both the plain form of the spec
/// and the Flash digest form; the client speaks the plain form, as ffmpeg does.
/// </summary>
public static class RtmpHandshake
{
    public const int PacketSize = 1536;
    public const byte Version = 3;

    /// <summary>C0 + C1.</summary>
    public const int ClientHelloSize = 1 + PacketSize;

    /// <summary>S0 + S1 + S2.</summary>
    public const int ServerResponseSize = 1 + 2 * PacketSize;

    // Non-zero so digest-aware clients know S1 is signed; the value itself is what nginx-rtmp sends.
    private const uint ServerVersion = 0x0D0E0A0D;

    /// <summary>
    /// Answers C0+C1 (exactly 1537 bytes) with S0+S1+S2 (3073 bytes). Throws
    /// <see cref="RtmpHandshakeException"/> if the version byte is not 3 (6 and 8 are RTMPE, unsupported).
    /// </summary>
    public static void WriteServerResponse(ReadOnlySpan<byte> c0c1, Span<byte> s0s1s2)
    {
        if (c0c1.Length != ClientHelloSize)
        {
            throw new ArgumentException($"C0+C1 must be {ClientHelloSize} bytes.", nameof(c0c1));
        }
        if (s0s1s2.Length < ServerResponseSize)
        {
            throw new ArgumentException($"S0+S1+S2 needs {ServerResponseSize} bytes.", nameof(s0s1s2));
        }
        CheckVersion(c0c1[0]);

        var c1 = c0c1[1..];
        var s1 = s0s1s2.Slice(1, PacketSize);
        var s2 = s0s1s2.Slice(1 + PacketSize, PacketSize);
        s0s1s2[0] = Version;
        var now = (uint)Environment.TickCount;

        // A zero version field in C1 means a plain client (ffmpeg, OBS): no digest to look for.
        if (BinaryPrimitives.ReadUInt32BigEndian(c1[4..]) != 0
            && RtmpHandshakeDigest.TryFind(c1, RtmpHandshakeDigest.FlashPlayerKeyPublic, out var scheme, out var offset))
        {
            RtmpHandshakeDigest.WriteSigned(s1, now, ServerVersion, scheme, RtmpHandshakeDigest.MediaServerKeyPublic);
            RtmpHandshakeDigest.WriteResponse(
                s2, c1.Slice(offset, RtmpHandshakeDigest.DigestLength), RtmpHandshakeDigest.MediaServerKey);
            return;
        }

        BinaryPrimitives.WriteUInt32BigEndian(s1, now);
        BinaryPrimitives.WriteUInt32BigEndian(s1[4..], 0);
        Random.Shared.NextBytes(s1[8..]);
        c1.CopyTo(s2);
    }

    /// <summary>
    /// Refuses a C0 that is not RTMP 3 (<see cref="RtmpHandshakeException"/>). A server calls it on
    /// the first byte, so a peer that speaks something else is refused at once rather than held
    /// until 1,536 more bytes or the handshake deadline.
    /// </summary>
    public static void CheckVersion(byte version)
    {
        if (version != Version)
        {
            throw new RtmpHandshakeException(version is 6 or 8
                ? $"Encrypted RTMP (RTMPE, version {version}) is not supported."
                : $"Unsupported RTMP version {version}.");
        }
    }

    /// <summary>Writes C0+C1 (1537 bytes) of the plain handshake.</summary>
    public static void WriteClientHello(Span<byte> c0c1)
    {
        if (c0c1.Length < ClientHelloSize)
        {
            throw new ArgumentException($"C0+C1 needs {ClientHelloSize} bytes.", nameof(c0c1));
        }
        c0c1[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(c0c1[1..], (uint)Environment.TickCount);
        BinaryPrimitives.WriteUInt32BigEndian(c0c1[5..], 0);
        Random.Shared.NextBytes(c0c1[9..ClientHelloSize]);
    }

    /// <summary>Writes C2, the echo of S1.</summary>
    public static void WriteClientAck(ReadOnlySpan<byte> s1, Span<byte> c2)
    {
        if (s1.Length < PacketSize)
        {
            throw new ArgumentException($"S1 must be {PacketSize} bytes.", nameof(s1));
        }
        if (c2.Length < PacketSize)
        {
            throw new ArgumentException($"C2 needs {PacketSize} bytes.", nameof(c2));
        }
        s1[..PacketSize].CopyTo(c2);
    }
}
