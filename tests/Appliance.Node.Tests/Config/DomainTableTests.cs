using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

public class DomainTableTests
{
    private static DomainTable Table() => new(ConfigLoader.Parse("""
        {
          "domains": [
            { "name": "default", "apps": [ { "name": "live" } ] },
            { "name": "tv.example.com", "aliases": [ "cdn.example.net" ], "apps": [ { "name": "live" }, { "name": "sports" } ] },
          ]
        }
        """));

    [Theory]
    [InlineData("tv.example.com", "tv.example.com")]
    [InlineData("TV.Example.COM", "tv.example.com")]
    [InlineData("cdn.example.net", "tv.example.com")]
    [InlineData("tv.example.com:8080", "tv.example.com")]
    [InlineData("cdn.example.net:1935", "tv.example.com")]
    [InlineData("elsewhere.example.org", "default")]
    [InlineData("127.0.0.1:8080", "default")]
    [InlineData("[::1]:8080", "default")]
    [InlineData("", "default")]
    [InlineData(null, "default")]
    public void FindsTheDomainByHost(string? host, string expected)
    {
        Assert.Equal(expected, Table().FindDomain(host)!.Name);
    }

    [Fact]
    public void ResolvesAnAppOfTheHostsDomainOnly()
    {
        var table = Table();

        Assert.True(table.TryResolve("tv.example.com", "sports", out var domain, out var app));
        Assert.Equal("tv.example.com", domain.Name);
        Assert.Equal("sports", app.Name);
        Assert.False(table.TryResolve("elsewhere.example.org", "sports", out _, out _));
    }

    [Fact]
    public void AppNamesAreCaseSensitive()
    {
        Assert.False(Table().TryResolve(null, "LIVE", out _, out _));
    }

    [Fact]
    public void WithoutADefaultDomainAnUnknownHostFindsNothing()
    {
        var table = new DomainTable(ConfigLoader.Parse("""
            { "domains": [ { "name": "a.example" }, { "name": "b.example" } ] }
            """));

        Assert.Null(table.FindDomain("c.example"));
        Assert.False(table.TryResolve("c.example", "live", out _, out _));
        Assert.True(table.TryResolve("b.example:1935", "live", out var domain, out _));
        Assert.Equal("b.example", domain.Name);
    }

    [Fact]
    public void ASingleDomainServesEveryHost()
    {
        var table = new DomainTable(ConfigLoader.Parse("""{ "domains": [ { "name": "only.example" } ] }"""));

        Assert.Equal("only.example", table.FindDomain("other.example")!.Name);
    }
}
