using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The Flash "complex" handshake: a 32-byte HMAC-SHA256 digest hidden in C1/S1 at an offset that the
/// packet itself encodes. Flash players (and some encoders) refuse a server that does not answer in kind.
/// </summary>
internal static class RtmpHandshakeDigest
{
    public const int DigestLength = 32;

    /// <summary>Digest offset derived from bytes 8..11 (the layout Flash Player 10+ and librtmp use).</summary>
    public const int SchemeDigestFirst = 1;

    /// <summary>Digest offset derived from bytes 772..775 (key block first).</summary>
    public const int SchemeKeyFirst = 0;

    private const int MessageLength = RtmpHandshake.PacketSize - DigestLength;

    /// <summary>"Genuine Adobe Flash Player 001" followed by 32 constant bytes.</summary>
    public static ReadOnlySpan<byte> FlashPlayerKey =>
    [
        0x47, 0x65, 0x6E, 0x75, 0x69, 0x6E, 0x65, 0x20, 0x41, 0x64, 0x6F, 0x62, 0x65, 0x20, 0x46, 0x6C,
        0x61, 0x73, 0x68, 0x20, 0x50, 0x6C, 0x61, 0x79, 0x65, 0x72, 0x20, 0x30, 0x30, 0x31,
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ];

    /// <summary>"Genuine Adobe Flash Media Server 001" followed by the same 32 constant bytes.</summary>
    public static ReadOnlySpan<byte> MediaServerKey =>
    [
        0x47, 0x65, 0x6E, 0x75, 0x69, 0x6E, 0x65, 0x20, 0x41, 0x64, 0x6F, 0x62, 0x65, 0x20, 0x46, 0x6C,
        0x61, 0x73, 0x68, 0x20, 0x4D, 0x65, 0x64, 0x69, 0x61, 0x20, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72,
        0x20, 0x30, 0x30, 0x31,
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ];

    public static ReadOnlySpan<byte> FlashPlayerKeyPublic => FlashPlayerKey[..30];

    public static ReadOnlySpan<byte> MediaServerKeyPublic => MediaServerKey[..36];

    public static int DigestOffset(ReadOnlySpan<byte> packet, int scheme)
    {
        var baseOffset = scheme == SchemeDigestFirst ? 8 : 772;
        var sum = packet[baseOffset] + packet[baseOffset + 1] + packet[baseOffset + 2] + packet[baseOffset + 3];
        return sum % 728 + baseOffset + 4;
    }

    /// <summary>HMAC-SHA256 of the 1536-byte packet with the digest's own 32 bytes left out.</summary>
    public static void Compute(ReadOnlySpan<byte> packet, int digestOffset, ReadOnlySpan<byte> key, Span<byte> digest)
    {
        Span<byte> message = stackalloc byte[MessageLength];
        packet[..digestOffset].CopyTo(message);
        packet[(digestOffset + DigestLength)..RtmpHandshake.PacketSize].CopyTo(message[digestOffset..]);
        HMACSHA256.HashData(key, message, digest);
    }

    /// <summary>Finds the scheme under which <paramref name="packet"/> carries a valid digest.</summary>
    public static bool TryFind(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key, out int scheme, out int digestOffset)
    {
        Span<byte> expected = stackalloc byte[DigestLength];
        foreach (var candidate in (ReadOnlySpan<int>)[SchemeDigestFirst, SchemeKeyFirst])
        {
            var offset = DigestOffset(packet, candidate);
            Compute(packet, offset, key, expected);
            if (expected.SequenceEqual(packet.Slice(offset, DigestLength)))
            {
                scheme = candidate;
                digestOffset = offset;
                return true;
            }
        }
        scheme = -1;
        digestOffset = -1;
        return false;
    }

    /// <summary>Fills a 1536-byte packet: time, version, random, then the digest in place.</summary>
    public static void WriteSigned(Span<byte> packet, uint time, uint version, int scheme, ReadOnlySpan<byte> key)
    {
        BinaryPrimitives.WriteUInt32BigEndian(packet, time);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], version);
        Random.Shared.NextBytes(packet[8..RtmpHandshake.PacketSize]);
        var offset = DigestOffset(packet, scheme);
        Compute(packet, offset, key, packet.Slice(offset, DigestLength));
    }

    /// <summary>
    /// The answer to a digest: random bytes followed by an HMAC over them, keyed by the HMAC of the
    /// peer's digest under the full 68-byte (server) or 62-byte (client) key.
    /// </summary>
    public static void WriteResponse(Span<byte> packet, ReadOnlySpan<byte> peerDigest, ReadOnlySpan<byte> fullKey)
    {
        Span<byte> responseKey = stackalloc byte[DigestLength];
        HMACSHA256.HashData(fullKey, peerDigest, responseKey);
        Random.Shared.NextBytes(packet[..MessageLength]);
        HMACSHA256.HashData(responseKey, packet[..MessageLength], packet.Slice(MessageLength, DigestLength));
    }
}
