using System.Text;
using Appliance.Relay.Routing;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Routing;

public sealed class HttpStatusLineTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK", 200)]
    [InlineData("HTTP/1.1 204 No Content\r", 204)]
    [InlineData("HTTP/1.0 503 ", 503)]
    [InlineData("HTTP/1.1 404", 404)]
    public void Parses(string line, int status)
    {
        Assert.True(HttpStatusLine.TryParse(Encoding.ASCII.GetBytes(line), out int parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1 099 Low")]
    [InlineData("HTTP/1.1 2x0 OK")]
    [InlineData("HTTP/1.x 200 OK")]
    [InlineData("http/1.1 200 OK")]
    [InlineData("ICY 200 OK")]
    public void Rejects(string line)
    {
        Assert.False(HttpStatusLine.TryParse(Encoding.ASCII.GetBytes(line), out _));
    }
}
