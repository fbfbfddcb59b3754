using System.Net;
using Appliance.Auth.Access;

namespace Appliance.Auth.Tests;

public class ClientAddressTests
{
    private static readonly CidrSet Proxies = CidrSet.Parse(["10.0.0.0/8", "fd00::/8"]);

    [Theory]
    [InlineData("10.0.0.5", "203.0.113.7", "203.0.113.7")]
    [InlineData("10.0.0.5", "203.0.113.7, 10.0.0.9, 10.0.0.5", "203.0.113.7")]
    [InlineData("10.0.0.5", " 2001:db8::7 ,10.0.0.9", "2001:db8::7")]
    [InlineData("10.0.0.5", "203.0.113.7:5123", "203.0.113.7")]
    [InlineData("10.0.0.5", "[2001:db8::7]:443", "2001:db8::7")]
    [InlineData("fd00::1", "203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:10.0.0.5", "203.0.113.7", "203.0.113.7")]
    public void ATrustedProxyIsBelieved(string peer, string forwarded, string client)
    {
        Assert.Equal(IPAddress.Parse(client), ClientAddress.Resolve(IPAddress.Parse(peer), forwarded, Proxies));
    }

    [Theory]
    [InlineData("198.51.100.1", "203.0.113.7")]
    [InlineData("2001:db8::1", "203.0.113.7")]
    public void AnyoneElsesHeaderIsIgnored(string peer, string forwarded)
    {
        Assert.Equal(IPAddress.Parse(peer), ClientAddress.Resolve(IPAddress.Parse(peer), forwarded, Proxies));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("10.1")]
    [InlineData("167772161")]
    [InlineData(", 203.0.113.7")]
    [InlineData("300.1.1.1")]
    public void ABadHeaderFromAProxyLeavesThePeer(string? forwarded)
    {
        var peer = IPAddress.Parse("10.0.0.5");

        Assert.Equal(peer, ClientAddress.Resolve(peer, forwarded, Proxies));
    }

    [Fact]
    public void WithoutTrustedProxiesTheHeaderIsNeverRead()
    {
        var peer = IPAddress.Parse("10.0.0.5");

        Assert.Equal(peer, ClientAddress.Resolve(peer, "203.0.113.7", CidrSet.Empty));
    }
}
