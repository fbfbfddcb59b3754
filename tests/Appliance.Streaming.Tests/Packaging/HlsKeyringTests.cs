using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Appliance.Streaming.Packaging.Hls;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>Keys of encrypted HLS: the same on every node with the same secret, different for anything else.</summary>
public class HlsKeyringTests
{
    private static readonly byte[] Secret = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private const string Cam = "example.com/live/cam";

    private static byte[] KeyOf(HlsKeyring keyring, string stream, long index)
    {
        var key = new byte[HlsKeyring.KeyBytes];
        keyring.Derive(stream, index, key);
        return key;
    }

    [Fact]
    public void TheKeyIsTheDocumentedHmacOfTheStreamAndIndex()
    {
        var input = Encoding.UTF8.GetBytes("appliance-hls-aes128|example.com/live/cam|").Concat(new byte[8]).ToArray();
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(input.Length - 8), 7);
        var expected = HMACSHA256.HashData(Secret, input)[..16];

        Assert.Equal(expected, KeyOf(new HlsKeyring(Secret), Cam, 7));
    }

    [Fact]
    public void TwoKeyringsWithTheSameSecretDeriveTheSameKeys()
    {
        var a = new HlsKeyring(Secret);
        var b = new HlsKeyring(Secret.ToArray());

        for (var index = 0L; index < 5; index++)
        {
            Assert.Equal(KeyOf(a, Cam, index), KeyOf(b, Cam, index));
        }
        Assert.Equal(KeyOf(a, Cam, 1L << 40), KeyOf(b, Cam, 1L << 40));
    }

    [Fact]
    public void AnotherSecretStreamAppDomainOrIndexGivesAnotherKey()
    {
        var keyring = new HlsKeyring(Secret);
        var other = new HlsKeyring(Convert.FromHexString("00112233445566778899aabbccddeefe"));
        var key = KeyOf(keyring, Cam, 3);

        Assert.NotEqual(key, KeyOf(other, Cam, 3));
        Assert.NotEqual(key, KeyOf(keyring, Cam, 4));
        Assert.NotEqual(key, KeyOf(keyring, "example.com/live/cam2", 3));
        Assert.NotEqual(key, KeyOf(keyring, "example.com/live2/cam", 3));
        Assert.NotEqual(key, KeyOf(keyring, "example.org/live/cam", 3));
    }

    [Fact]
    public void ASecretShorterThan16BytesIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HlsKeyring(new byte[15]));
    }

    [Fact]
    public void SegmentsShareAKeyInRunsOfNAndEachHasItsNumberAsIv()
    {
        Assert.Equal([0L, 0, 0, 1, 1, 1, 2], Enumerable.Range(0, 7).Select(s => HlsKeyring.KeyIndexOf(s, 3)));
        var iv = new byte[16];
        HlsKeyring.IvOf(0x0102030405060708, iv);
        Assert.Equal(Convert.FromHexString("00000000000000000102030405060708"), iv);
    }

    [Theory]
    [InlineData("key-0.key", 0L)]
    [InlineData("key-42.key", 42L)]
    public void KeyFileNamesRoundTrip(string name, long index)
    {
        Assert.Equal(name, HlsKeyring.KeyFile(index));
        Assert.True(HlsKeyring.TryParseKeyFile(name, out var parsed));
        Assert.Equal(index, parsed);
    }

    [Theory]
    [InlineData("key-.key")]
    [InlineData("key-01.key")]
    [InlineData("key--1.key")]
    [InlineData("key-+1.key")]
    [InlineData("key-1.ts")]
    [InlineData("1.key")]
    [InlineData("key-99999999999999999999.key")]
    public void OtherNamesAreNoKeyFile(string name)
    {
        Assert.False(HlsKeyring.TryParseKeyFile(name, out _));
    }
}
