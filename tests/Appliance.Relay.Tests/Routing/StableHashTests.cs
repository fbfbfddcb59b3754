using System.Text;
using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

/// <summary>The hashes decide which parent every node pulls each stream from; they must never drift.</summary>
public sealed class StableHashTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64MatchesThePublishedVectors(string text, ulong expected)
    {
        Assert.Equal(expected, StableHash.Fnv1a64(text));
    }

    [Theory]
    [InlineData("caméra")]
    [InlineData("频道")]
    [InlineData("emoji 🎥")]
    [InlineData("lone \ud800 surrogate")]
    public void HashesTheUtf8BytesAsEncodingUtf8WritesThem(string text)
    {
        ulong expected = StableHash.FnvOffset;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            expected = (expected ^ b) * 1099511628211UL;
        }

        Assert.Equal(expected, StableHash.Fnv1a64(text));
    }

    [Fact]
    public void MixIsMurmur3Fmix64()
    {
        Assert.Equal(0UL, StableHash.Mix(0));
        Assert.Equal(0xb456bcfc34c2cb2cUL, StableHash.Mix(1));
        Assert.Equal(0x87cbfbfe89022ceaUL, StableHash.Mix(0x0123456789abcdefUL));
    }

    [Fact]
    public void AStreamKeyHashesAsItsText()
    {
        var key = new StreamKey("example.com", "live", "caméra");

        Assert.Equal(StableHash.Fnv1a64("example.com/live/caméra"), RouteSelector.HashKey(key));
    }
}
