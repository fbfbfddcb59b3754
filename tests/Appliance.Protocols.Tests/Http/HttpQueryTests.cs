using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class HttpQueryTests
{
    [Theory]
    [InlineData("token=abc&x=1", "token", "abc")]
    [InlineData("x=1&token=abc", "token", "abc")]
    [InlineData("tokenx=1&token=2", "token", "2")]
    [InlineData("a=1&a=2", "a", "1")]
    [InlineData("name=John+Doe%21", "name", "John Doe!")]
    [InlineData("k=%E4%BD%A0", "k", "\u4f60")]
    [InlineData("k=a=b", "k", "a=b")]
    [InlineData("flag", "flag", "")]
    [InlineData("flag=", "flag", "")]
    [InlineData("%74oken=x", "token", "x")]
    [InlineData("my+key=v", "my key", "v")]
    [InlineData("k=%zz%4", "k", "%zz%4")]
    [InlineData("k=%FF", "k", "\ufffd")]
    [InlineData("&&k=v&", "k", "v")]
    public void Get_FindsTheDecodedValue(string query, string name, string expected)
    {
        Assert.Equal(expected, HttpQuery.Get(query, name));
    }

    [Theory]
    [InlineData(null, "a")]
    [InlineData("", "a")]
    [InlineData("b=1", "a")]
    [InlineData("ab=1", "a")]
    [InlineData("A=1", "a")]
    public void Get_ReturnsNullWhenAbsent(string? query, string name)
    {
        Assert.Null(HttpQuery.Get(query, name));
    }

    [Theory]
    [InlineData("token=abc&x=1", "x=1")]
    [InlineData("token=abc", null)]
    [InlineData("a=1&token=2&b=3", "a=1&b=3")]
    [InlineData("token=1&a=%20+&token=2", "a=%20+")]
    [InlineData("a=1&&token=2", "a=1")]
    [InlineData("%74oken=1&b", "b")]
    public void Without_RemovesTheNamedParameter(string query, string? expected)
    {
        Assert.Equal(expected, HttpQuery.Without(query, "token"));
    }

    [Fact]
    public void Without_RemovesSeveralNames()
    {
        Assert.Equal("c=3", HttpQuery.Without("sign=1&c=3&expires=2", "sign", "expires"));
        Assert.Null(HttpQuery.Without("sign=1&expires=2", "sign", "expires"));
    }

    [Fact]
    public void Without_ReturnsTheSameStringWhenNothingMatches()
    {
        const string query = "a=1&&b=2";
        Assert.Same(query, HttpQuery.Without(query, "token"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_OnNothing_IsNull(string? query)
    {
        Assert.Null(HttpQuery.Without(query, "token"));
    }

    [Fact]
    public void Without_HandlesLongQueries()
    {
        string keep = "x=" + new string('a', 400);
        Assert.Equal(keep, HttpQuery.Without("token=1&" + keep, "token"));
    }
}
