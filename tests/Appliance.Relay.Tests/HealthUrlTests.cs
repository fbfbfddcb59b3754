using Appliance.Relay.Urls;
using Appliance.Relay;

namespace Appliance.Relay.Tests;

public sealed class HealthUrlTests
{
    [Theory]
    [InlineData("http://parent:8080/api/health", "parent", 8080, "/api/health", "parent:8080")]
    [InlineData("http://Parent/healthz?deep=1", "parent", 80, "/healthz?deep=1", "parent")]
    [InlineData("http://parent", "parent", 80, "/", "parent")]
    [InlineData("http://[::1]:9/h", "::1", 9, "/h", "[::1]:9")]
    public void Accepts(string text, string host, int port, string path, string hostHeader)
    {
        Assert.True(HealthUrl.TryParse(text, out var url, out var error), error);

        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.Equal(path, url.Path);
        Assert.Equal(hostHeader, url.HostHeader);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("rtmp://parent/live", "must start with http:// or https://")]
    [InlineData("http://parent:99999/api/health", "has an invalid port '99999' (1 to 65535)")]
    [InlineData("http://parent?x", "needs a path starting with '/'")]
    [InlineData("http://parent/a b", "contains a space")]
    [InlineData("http://parent/a\r\nX: y", "contains a control character")]
    [InlineData("http://parent/{x}", "has a character not allowed in a URL path: '{'")]
    [InlineData("http://parent/#x", "has a character not allowed in a URL path: '#'")]
    public void Rejects(string text, string expected)
    {
        Assert.False(HealthUrl.TryParse(text, out _, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void HttpCandidatesDefaultToApiHealthOnTheirOwnPortAndRtmpToNone()
    {
        Assert.True(UpstreamUrl.TryParse("http://origin:8080/{stream}.flv", out var http, out _));
        Assert.True(UpstreamUrl.TryParse("rtmp://parent/live", out var rtmp, out _));

        Assert.Equal("http://origin:8080/api/health", HealthUrl.DefaultFor(http)?.ToString());
        Assert.Null(HealthUrl.DefaultFor(rtmp));
    }
}
