using System.Net;
using Appliance.Auth.Access;

namespace Appliance.Auth.Tests;

public class IpRuleTests
{
    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("11.0.0.0", false)]
    [InlineData("192.168.1.200", true)]
    [InlineData("192.168.2.1", false)]
    [InlineData("203.0.113.9", true)]
    [InlineData("203.0.113.10", false)]
    [InlineData("::ffff:10.9.9.9", true)]
    [InlineData("2001:db8:1234::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::1", true)]
    public void CidrsMatchIpv4AndIpv6(string address, bool contained)
    {
        var set = CidrSet.Parse(["10.0.0.0/8", "192.168.1.7/24", "203.0.113.9", "2001:db8::/32", "::1/128"]);

        Assert.Equal(contained, set.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void AMappedIpv4CidrMatchesPlainIpv4()
    {
        var set = CidrSet.Parse(["::ffff:10.0.0.0/104"]);

        Assert.True(set.Contains(IPAddress.Parse("10.20.30.40")));
        Assert.False(set.Contains(IPAddress.Parse("11.0.0.1")));
    }

    [Fact]
    public void ZeroPrefixesMatchTheirWholeFamily()
    {
        var set = CidrSet.Parse(["0.0.0.0/0"]);

        Assert.True(set.Contains(IPAddress.Parse("1.2.3.4")));
        Assert.False(set.Contains(IPAddress.Parse("2001:db8::1")));
        Assert.True(CidrSet.Parse(["::/0"]).Contains(IPAddress.Parse("2001:db8::1")));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("1.2.3.4", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("2001:db8::/129", false)]
    [InlineData("10.0.0.0/-1", false)]
    [InlineData("10.0.0.0/", false)]
    [InlineData("10.0.0/8", false)]
    [InlineData("167772160", false)]
    [InlineData("example.com", false)]
    [InlineData("", false)]
    [InlineData("10.0.0.0/8/8", false)]
    public void CidrTextIsValidated(string text, bool valid)
    {
        Assert.Equal(valid, CidrSet.IsValid(text));
    }

    [Fact]
    public void AllowListAdmitsOnlyItsNetworks()
    {
        var rule = new IpRule(["10.0.0.0/8", "2001:db8::/32"], []);

        Assert.True(rule.Permits(IPAddress.Parse("10.0.0.1")));
        Assert.True(rule.Permits(IPAddress.Parse("2001:db8::5")));
        Assert.False(rule.Permits(IPAddress.Parse("8.8.8.8")));
        Assert.False(rule.Permits(IPAddress.Parse("2001:db9::5")));
    }

    [Fact]
    public void DenyListRefusesOnlyItsNetworks()
    {
        var rule = new IpRule([], ["192.0.2.0/24", "2001:db8:bad::/48"]);

        Assert.False(rule.Permits(IPAddress.Parse("192.0.2.77")));
        Assert.False(rule.Permits(IPAddress.Parse("2001:db8:bad:1::1")));
        Assert.True(rule.Permits(IPAddress.Parse("192.0.3.1")));
        Assert.True(rule.Permits(IPAddress.Parse("2001:db8:900d::1")));
        Assert.True(IpRule.Open.Permits(IPAddress.Parse("192.0.2.77")));
    }
}
