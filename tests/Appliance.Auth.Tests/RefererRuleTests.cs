using Appliance.Auth.Access;

namespace Appliance.Auth.Tests;

public class RefererRuleTests
{
    [Theory]
    [InlineData("https://example.com/player.html", true)]
    [InlineData("https://www.EXAMPLE.com:8443/p?x=1", true)]
    [InlineData("http://a.b.example.com", true)]
    [InlineData("https://cdn.partner.net/", true)]
    [InlineData("https://partner.net/", false)]
    [InlineData("https://badexample.com/", false)]
    [InlineData("https://example.com.evil.net/", false)]
    [InlineData("https://evil.net/?ref=example.com", false)]
    [InlineData("https://example.com@evil.net/", false)]
    [InlineData("https://evil.net@example.com/", true)]
    [InlineData("example.com/page", true)]
    [InlineData("https://example.com./", true)]
    public void AnAllowListMatchesHostsAndSubdomains(string referer, bool allowed)
    {
        var rule = new RefererRule(["example.com", "*.partner.net"], [], allowEmpty: true);

        Assert.Equal(allowed, rule.Permits(referer));
    }

    [Theory]
    [InlineData("https://leech.io/x", false)]
    [InlineData("https://m.leech.io/x", false)]
    [InlineData("https://LEECH.IO:80", false)]
    [InlineData("https://fine.io/", true)]
    [InlineData("https://[2001:db8::1]:8080/", true)]
    [InlineData("https://[2001:db8::1/", true)]
    public void ADenyListRefusesOnlyItsHosts(string referer, bool allowed)
    {
        var rule = new RefererRule([], ["leech.io"], allowEmpty: true);

        Assert.Equal(allowed, rule.Permits(referer));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyRefererFollowsTheSwitch(string? referer)
    {
        Assert.True(new RefererRule(["example.com"], [], allowEmpty: true).Permits(referer));
        Assert.False(new RefererRule(["example.com"], [], allowEmpty: false).Permits(referer));
        Assert.False(new RefererRule([], ["leech.io"], allowEmpty: false).Permits(referer));
        Assert.False(new RefererRule([], [], allowEmpty: false).Permits(referer));
        Assert.True(new RefererRule([], [], allowEmpty: false).Permits("https://any.where/"));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("localhost", true)]
    [InlineData("", false)]
    [InlineData("*", false)]
    [InlineData("*.", false)]
    [InlineData("a.*.example.com", false)]
    [InlineData("example.com/path", false)]
    [InlineData("example.com:80", false)]
    [InlineData(".example.com", false)]
    public void PatternsAreValidated(string pattern, bool valid)
    {
        Assert.Equal(valid, RefererRule.IsValidPattern(pattern));
    }

    [Fact]
    public void AnOpenRuleIsOpen()
    {
        Assert.True(RefererRule.Open.IsOpen);
        Assert.False(new RefererRule(["example.com"], [], true).IsOpen);
    }
}
