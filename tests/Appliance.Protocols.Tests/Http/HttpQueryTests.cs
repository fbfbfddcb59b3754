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
}
