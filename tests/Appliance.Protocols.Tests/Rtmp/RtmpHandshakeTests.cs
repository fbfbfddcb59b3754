using System.Security.Cryptography;
using System.Text;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpHandshakeTests
{
    // The published constants, written out here independently of the implementation.
    private static readonly byte[] KeyTail = Hex.Bytes(
        "F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");
    private static readonly byte[] FlashPlayerKey = [.. Encoding.ASCII.GetBytes("Genuine Adobe Flash Player 001"), .. KeyTail];
    private static readonly byte[] MediaServerKey = [.. Encoding.ASCII.GetBytes("Genuine Adobe Flash Media Server 001"), .. KeyTail];

    [Fact]
    public void PlainHelloGetsTimeZeroRandomAndAnEchoOfC1()
    {
        var c0c1 = new byte[1537];
        c0c1[0] = 3;
        Hex.Pattern(1536, seed: 5).CopyTo(c0c1, 1);
        c0c1[5] = c0c1[6] = c0c1[7] = c0c1[8] = 0;  // zero version field: plain client
        var response = new byte[3073];

        RtmpHandshake.WriteServerResponse(c0c1, response);

        Assert.Equal(3, response[0]);
        Assert.Equal(new byte[4], response[5..9]);
        Assert.Equal(c0c1[1..], response[1537..]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void DigestHelloGetsSignedS1AndS2(int scheme)
    {
        var c1 = Hex.Pattern(1536, seed: 11);
        c1[4] = 0x80; c1[5] = 0x00; c1[6] = 0x07; c1[7] = 0x02;   // Flash Player 10-style version
        var clientOffset = DigestOffset(c1, scheme);
        Hmac(c1, clientOffset, FlashPlayerKey[..30]).CopyTo(c1, clientOffset);
        var clientDigest = c1[clientOffset..(clientOffset + 32)];
        var response = new byte[3073];

        RtmpHandshake.WriteServerResponse([3, .. c1], response);

        Assert.Equal(3, response[0]);
        var s1 = response[1..1537];
        var s2 = response[1537..];
        Assert.NotEqual(new byte[4], s1[4..8]);
        var serverOffset = DigestOffset(s1, scheme);
        Assert.Equal(Hmac(s1, serverOffset, MediaServerKey[..36]), s1[serverOffset..(serverOffset + 32)]);
        var s2Key = HMACSHA256.HashData(MediaServerKey, clientDigest);
        Assert.Equal(HMACSHA256.HashData(s2Key, s2[..1504]), s2[1504..]);
        Assert.NotEqual(c1, s2);
    }

    [Fact]
    public void WrongDigestFallsBackToThePlainAnswer()
    {
        var c1 = Hex.Pattern(1536, seed: 11);
        c1[4] = 0x80;
        var offset = DigestOffset(c1, 1);
        var digest = Hmac(c1, offset, FlashPlayerKey[..30]);
        digest[0] ^= 1;
        digest.CopyTo(c1, offset);
        var response = new byte[3073];

        RtmpHandshake.WriteServerResponse([3, .. c1], response);

        Assert.Equal(c1, response[1537..]);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(0)]
    [InlineData(0x47)]   // 'G' of an HTTP request on the RTMP port
    public void RejectsAnyVersionButThree(byte version)
    {
        var c0c1 = new byte[1537];
        c0c1[0] = version;

        var e = Assert.Throws<RtmpHandshakeException>(() => RtmpHandshake.WriteServerResponse(c0c1, new byte[3073]));
        Assert.IsAssignableFrom<RtmpProtocolException>(e);
    }

    [Fact]
    public void RejectsWrongSizes()
    {
        Assert.Throws<ArgumentException>(() => RtmpHandshake.WriteServerResponse(new byte[1536], new byte[3073]));
        Assert.Throws<ArgumentException>(() => RtmpHandshake.WriteServerResponse(new byte[1537], new byte[3072]));
    }

    [Fact]
    public void ClientHelloIsPlainAndC2EchoesS1()
    {
        var c0c1 = new byte[1537];
        RtmpHandshake.WriteClientHello(c0c1);
        Assert.Equal(3, c0c1[0]);
        Assert.Equal(new byte[4], c0c1[5..9]);

        var s1 = Hex.Pattern(1536, seed: 3);
        var c2 = new byte[1536];
        RtmpHandshake.WriteClientAck(s1, c2);
        Assert.Equal(s1, c2);
    }

    [Fact]
    public void ServerAnswersOwnClientPlainly()
    {
        var c0c1 = new byte[1537];
        RtmpHandshake.WriteClientHello(c0c1);
        var response = new byte[3073];

        RtmpHandshake.WriteServerResponse(c0c1, response);

        Assert.Equal(c0c1[1..], response[1537..]);
    }

    private static int DigestOffset(byte[] packet, int scheme)
    {
        var start = scheme == 1 ? 8 : 772;
        return (packet[start] + packet[start + 1] + packet[start + 2] + packet[start + 3]) % 728 + start + 4;
    }

    private static byte[] Hmac(byte[] packet, int digestOffset, byte[] key) =>
        HMACSHA256.HashData(key, packet[..digestOffset].Concat(packet[(digestOffset + 32)..]).ToArray());
}
