using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>The AES-128 side of an HLS playlist as a player reads it: which key each segment is under, and decryption.</summary>
public static partial class EncryptedHls
{
    /// <summary>Per listed segment: the key URI in effect, and whether an EXT-X-KEY stands right before it.</summary>
    public static List<(long Sequence, string KeyUri, bool Tagged)> Keys(string playlistText)
    {
        var result = new List<(long, string, bool)>();
        string? key = null;
        var tagged = false;
        long? sequence = null;
        foreach (var line in playlistText.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                sequence = long.Parse(line.AsSpan(22), System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-KEY:", StringComparison.Ordinal))
            {
                var match = KeyTag().Match(line);
                Assert.True(match.Success, $"an EXT-X-KEY this node does not write: {line}");
                key = match.Groups[1].Value;
                tagged = true;
            }
            else if (!line.StartsWith('#'))
            {
                Assert.True(key is not null, $"segment {line} has no key:\n{playlistText}");
                result.Add((sequence!.Value + result.Count, key!, tagged));
                tagged = false;
            }
        }
        return result;
    }

    /// <summary>AES-128-CBC with PKCS7, the IV the segment's media sequence number (RFC 8216 without IV=).</summary>
    public static byte[] Decrypt(byte[] segment, byte[] key, long sequence)
    {
        var iv = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(iv.AsSpan(8), sequence);
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.DecryptCbc(segment, iv, PaddingMode.PKCS7);
    }

    /// <summary>Bytes that are MPEG-TS: whole 188-byte packets, each starting with the sync byte.</summary>
    public static void AssertTs(byte[] bytes, string what)
    {
        Assert.True(bytes.Length > 0 && bytes.Length % 188 == 0, $"{what}: {bytes.Length} bytes is no whole number of TS packets");
        for (var at = 0; at < bytes.Length; at += 188)
        {
            Assert.True(bytes[at] == 0x47, $"{what}: no sync byte at {at}");
        }
    }

    /// <summary>The path of a URI relative to /{app}/{stream}.m3u8 (an HLS URI under "{stream}/").</summary>
    public static string PathOf(string app, string relative) => $"/{app}/{relative}";

    [GeneratedRegex("^#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\"$")]
    private static partial Regex KeyTag();
}
