using Appliance.Relay.Urls;
using Appliance.Relay;

namespace Appliance.Relay.Tests;

public sealed class UpstreamUrlTests
{
    [Theory]
    [InlineData("rtmp://parent.example.com/live", "parent.example.com", 1935, "live", "rtmp://parent.example.com:1935/live")]
    [InlineData("rtmp://parent.example.com:19350/live", "parent.example.com", 19350, "live", "rtmp://parent.example.com:19350/live")]
    [InlineData("rtmp://parent.example.com/live/", "parent.example.com", 1935, "live", "rtmp://parent.example.com:1935/live")]
    [InlineData("RTMP://Parent.Example.COM/Live", "parent.example.com", 1935, "Live", "rtmp://parent.example.com:1935/Live")]
    [InlineData("rtmp://10.0.0.7:1936/origin.app", "10.0.0.7", 1936, "origin.app", "rtmp://10.0.0.7:1936/origin.app")]
    [InlineData("rtmp://[2001:db8::7]:1935/live", "2001:db8::7", 1935, "live", "rtmp://[2001:db8::7]:1935/live")]
    public void AcceptsRtmpWithAnApp(string text, string host, int port, string app, string canonical)
    {
        Assert.True(UpstreamUrl.TryParse(text, out var url, out var error), error);
        Assert.Equal("", error);
        Assert.Equal(UpstreamProtocol.Rtmp, url.Protocol);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.Equal(app, url.App);
        Assert.Equal(app, url.RtmpApp("local"));
        Assert.Equal(canonical, url.ToString());
        Assert.Null(url.PathTemplate);
        Assert.Null(url.HealthUrlPath);
    }

    [Theory]
    [InlineData("rtmps://Parent.Example/live", UpstreamProtocol.Rtmp, 443, "rtmps://parent.example:443/live", "rtmps://parent.example:443/live", "parent.example")]
    [InlineData("rtmps://parent:1936/live", UpstreamProtocol.Rtmp, 1936, "rtmps://parent:1936/live", "rtmps://parent:1936/live", "parent:1936")]
    [InlineData("HTTPS://origin/{app}/{stream}.flv", UpstreamProtocol.HttpFlv, 443, "https://origin:443/{app}/{stream}.flv", null, "origin")]
    [InlineData("https://origin:8443/{stream}.flv", UpstreamProtocol.HttpFlv, 8443, "https://origin:8443/{stream}.flv", null, "origin:8443")]
    public void AcceptsTlsSchemesWithPort443ByDefault(string text, UpstreamProtocol protocol, int port, string canonical, string? tcUrl, string hostHeader)
    {
        Assert.True(UpstreamUrl.TryParse(text, out var url, out var error), error);

        Assert.True(url.IsTls);
        Assert.Equal(protocol, url.Protocol);
        Assert.Equal(port, url.Port);
        Assert.Equal(canonical, url.ToString());
        Assert.Equal(hostHeader, url.HostHeader);
        if (tcUrl is not null)
        {
            Assert.Equal(tcUrl, url.RtmpTcUrl("x"));
        }
        else
        {
            var health = HealthUrl.DefaultFor(url)!;
            Assert.True(health.IsTls);
            Assert.Equal($"https://origin:{port}/api/health", health.ToString());
        }
    }

    [Theory]
    [InlineData("rtmp://parent")]
    [InlineData("rtmp://parent/")]
    [InlineData("rtmp://parent:1935")]
    public void RtmpWithoutAnAppUsesTheLocalApp(string text)
    {
        Assert.True(UpstreamUrl.TryParse(text, out var url, out var error), error);

        Assert.Null(url.App);
        Assert.Equal("game", url.RtmpApp("game"));
        Assert.Equal("rtmp://parent:1935/game", url.RtmpTcUrl("game"));
        Assert.Equal("rtmp://parent:1935", url.ToString());
    }

    [Fact]
    public void RtmpQueryIsSentWithTheStreamNameAndMaskedInTheCanonicalForm()
    {
        Assert.True(UpstreamUrl.TryParse("rtmp://parent:1936/live?token=s3cret&user=edge", out var url, out var error), error);

        Assert.Equal("live", url.App);
        Assert.Equal("token=s3cret&user=edge", url.Query);
        Assert.Equal("rtmp://parent:1936/live", url.RtmpTcUrl("x"));
        Assert.Equal("cam?token=s3cret&user=edge&appliance_via=a", url.RtmpStreamName("cam", "appliance_via=a"));
        Assert.Equal("rtmp://parent:1936/live?token=*****&user=*****", url.ToString());
        Assert.DoesNotContain("s3cret", url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RtmpWithoutAQuerySendsOnlyTheNodeQuery()
    {
        Assert.True(UpstreamUrl.TryParse("rtmp://parent/live", out var url, out _));

        Assert.Null(url.Query);
        Assert.Equal("cam?appliance_via=a", url.RtmpStreamName("cam", "appliance_via=a"));
    }

    [Fact]
    public void HttpTemplateQueryValuesAreMaskedButPlaceholdersKept()
    {
        Assert.True(UpstreamUrl.TryParse("http://origin/{app}.flv?stream={stream}&key=s3cret&flag", out var url, out _));

        Assert.Equal("http://origin:80/{app}.flv?stream={stream}&key=*****&flag", url.ToString());
        Assert.Equal("/live.flv?stream=cam&key=s3cret&flag", url.HttpPath("live", "cam"));
    }

    [Fact]
    public void RtmpTcUrlBracketsIpv6()
    {
        Assert.True(UpstreamUrl.TryParse("rtmp://[::1]/live", out var url, out _));

        Assert.Equal("rtmp://[::1]:1935/live", url.RtmpTcUrl("other"));
    }

    [Theory]
    [InlineData("http://origin.example.com/live/{stream}.flv", "origin.example.com", 80, "/live/{stream}.flv", "origin.example.com")]
    [InlineData("http://origin.example.com:8080/{app}/{stream}.flv", "origin.example.com", 8080, "/{app}/{stream}.flv", "origin.example.com:8080")]
    [InlineData("HTTP://ORIGIN:8080/{app}/{stream}.flv?token=abc%20d", "origin", 8080, "/{app}/{stream}.flv?token=abc%20d", "origin:8080")]
    [InlineData("http://[2001:db8::1]:81/x/{stream}", "2001:db8::1", 81, "/x/{stream}", "[2001:db8::1]:81")]
    public void AcceptsHttpFlvTemplates(string text, string host, int port, string template, string hostHeader)
    {
        Assert.True(UpstreamUrl.TryParse(text, out var url, out var error), error);

        Assert.Equal(UpstreamProtocol.HttpFlv, url.Protocol);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.Equal(template, url.PathTemplate);
        Assert.Equal(hostHeader, url.HostHeader);
        Assert.Equal("/api/health", url.HealthUrlPath);
        Assert.Null(url.App);
    }

    [Fact]
    public void TheCanonicalFormOfAnHttpTemplateSpellsTheDefaultPort()
    {
        Assert.True(UpstreamUrl.TryParse("http://Origin/{app}/{stream}.flv", out var url, out _));

        Assert.Equal("http://origin:80/{app}/{stream}.flv", url.ToString());
    }

    [Fact]
    public void HttpPathFillsBothPlaceholders()
    {
        Assert.True(UpstreamUrl.TryParse("http://origin/{app}/{stream}.flv?app={app}", out var url, out _));

        Assert.Equal("/live/cam.flv?app=live", url.HttpPath("live", "cam"));
    }

    [Theory]
    [InlineData("a b", "/live/a%20b.flv")]
    [InlineData("../../etc/passwd", "/live/..%2F..%2Fetc%2Fpasswd.flv")]
    [InlineData("x?y=1#z", "/live/x%3Fy%3D1%23z.flv")]
    [InlineData("line\r\nHost: evil", "/live/line%0D%0AHost%3A%20evil.flv")]
    [InlineData("caméra", "/live/cam%C3%A9ra.flv")]
    [InlineData("{app}", "/live/%7Bapp%7D.flv")]
    [InlineData("a%41", "/live/a%2541.flv")]
    public void HttpPathEscapesTheStreamNameSoItStaysOneSegment(string stream, string expected)
    {
        Assert.True(UpstreamUrl.TryParse("http://origin/{app}/{stream}.flv", out var url, out _));

        Assert.Equal(expected, url.HttpPath("live", stream));
    }

    [Fact]
    public void HttpPathIsNotForRtmp()
    {
        Assert.True(UpstreamUrl.TryParse("rtmp://parent/live", out var url, out _));

        Assert.Throws<InvalidOperationException>(() => url.HttpPath("live", "cam"));
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    [InlineData("rtmp://parent/li ve", "contains a space")]
    [InlineData("rtmp://parent/live\n", "contains a control character")]
    [InlineData("rtmp://parent\t/live", "contains a control character")]
    [InlineData("rtmp://par\u0000ent/live", "contains a control character")]
    [InlineData("rtmp://parent/\u007flive", "contains a control character")]
    [InlineData("rtmp://parént/live", "contains a non-ASCII character (percent-encode it)")]
    [InlineData("parent/live", "must start with rtmp://, rtmps://, http://, https:// or srt://")]
    [InlineData("://parent/live", "must start with rtmp://, rtmps://, http://, https:// or srt://")]
    [InlineData("https://origin/live.flv", "needs {stream} in its path, e.g. http://host/{app}/{stream}.flv")]
    [InlineData("rtmps://parent/a/b", "must name at most one app segment (rtmp://host[:port]/app; the stream name is appended)")]
    [InlineData("rtmpe://parent/live", "rtmpe is not supported; use rtmp:// or rtmps://")]
    [InlineData("rtmp:///live", "has no host")]
    [InlineData("rtmp://:1935/live", "has no host")]
    [InlineData("http:///{stream}", "has no host")]
    [InlineData("rtmp://parent:0/live", "has an invalid port '0' (1 to 65535)")]
    [InlineData("rtmp://parent:65536/live", "has an invalid port '65536' (1 to 65535)")]
    [InlineData("rtmp://parent:/live", "has an invalid port '' (1 to 65535)")]
    [InlineData("rtmp://parent:-1/live", "has an invalid port '-1' (1 to 65535)")]
    [InlineData("rtmp://parent:+80/live", "has an invalid port '+80' (1 to 65535)")]
    [InlineData("rtmp://parent:019350/live", "has an invalid port '019350' (1 to 65535)")]
    [InlineData("rtmp://parent:1x/live", "has an invalid port '1x' (1 to 65535)")]
    [InlineData("rtmp://user:pw@parent/live", "must not carry credentials (user@host)")]
    [InlineData("rtmp://2001:db8::1/live", "has more than one ':' in its host (put an IPv6 address in brackets)")]
    [InlineData("rtmp://[2001:db8::1/live", "has an unclosed '[' in the host")]
    [InlineData("rtmp://[parent]/live", "has a bracketed host that is not an IPv6 address")]
    [InlineData("rtmp://[10.0.0.1]/live", "has a bracketed host that is not an IPv6 address")]
    [InlineData("rtmp://[::1]x/live", "has characters after the ']' of its IPv6 host")]
    [InlineData("rtmp://par_ent..com/live", "has an invalid host 'par_ent..com'")]
    [InlineData("rtmp://-parent/live", "has an invalid host '-parent'")]
    [InlineData("rtmp://par%65nt/live", "has an invalid host 'par%65nt'")]
    [InlineData("rtmp://parent/live#x", "must not carry a fragment (rtmp://host[:port]/app[?query])")]
    [InlineData("rtmp://parent/live?", "has an empty query after '?'")]
    [InlineData("rtmp://parent/live?a=1?b", "has a character not allowed in a URL query: '?'")]
    [InlineData("rtmp://parent/live?a=<b>", "has a character not allowed in a URL query: '<'")]
    [InlineData("rtmp://parent/live?a=%z1", "has a '%' not followed by two hex digits")]
    [InlineData("rtmp://parent/live?appliance_via=edge", "must not set appliance_via (the node adds it for loop protection)")]
    [InlineData("rtmp://parent/live/cam", "must name at most one app segment (rtmp://host[:port]/app; the stream name is appended)")]
    [InlineData("rtmp://parent//live", "has an empty path segment")]
    [InlineData("rtmp://parent/li%20ve", "has an invalid app name 'li%20ve'")]
    [InlineData("rtmp://parent/{app}", "has an invalid app name '{app}'")]
    [InlineData("http://origin", "needs a path holding {stream}, e.g. http://host/{app}/{stream}.flv")]
    [InlineData("http://origin?x={stream}", "needs a path holding {stream}, e.g. http://host/{app}/{stream}.flv")]
    [InlineData("http://origin/live/cam.flv", "needs {stream} in its path, e.g. http://host/{app}/{stream}.flv")]
    [InlineData("http://origin/{app}.flv", "needs {stream} in its path, e.g. http://host/{app}/{stream}.flv")]
    [InlineData("http://origin/{name}.flv", "has an unknown placeholder (only {stream} and {app})")]
    [InlineData("http://origin/{stream", "has an unknown placeholder (only {stream} and {app})")]
    [InlineData("http://origin/{stream}}.flv", "has a character not allowed in a URL path: '}'")]
    [InlineData("http://origin/{stream}.flv#top", "must not carry a fragment ('#')")]
    [InlineData("http://origin/{stream}.flv?a=%zz", "has a '%' not followed by two hex digits")]
    [InlineData("http://origin/{stream}<script>", "has a character not allowed in a URL path: '<'")]
    [InlineData("http://origin/a\\{stream}", "has a character not allowed in a URL path: '\\'")]
    [InlineData("http://origin/\"{stream}", "has a character not allowed in a URL path: '\"'")]
    public void Rejects(string? text, string expected)
    {
        Assert.False(UpstreamUrl.TryParse(text, out var url, out var error));

        Assert.Null(url);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void RejectsOverLongUrls()
    {
        var text = "http://origin/" + new string('a', 2048) + "{stream}";

        Assert.False(UpstreamUrl.TryParse(text, out _, out var error));

        Assert.Equal("is longer than 2048 characters", error);
    }

    [Fact]
    public void AcceptsUrlsUpToTheLimit()
    {
        var prefix = "http://origin/";
        var text = prefix + new string('a', 2048 - prefix.Length - "{stream}".Length) + "{stream}";

        Assert.Equal(2048, text.Length);
        Assert.True(UpstreamUrl.TryParse(text, out _, out var error), error);
    }

    [Fact]
    public void RejectsOverLongHostNames()
    {
        var label = new string('a', 63);
        var host = string.Join('.', label, label, label, label);

        Assert.False(UpstreamUrl.TryParse($"rtmp://{host}/live", out _, out var error));
        Assert.StartsWith("has an invalid host", error);
        Assert.False(UpstreamUrl.TryParse($"rtmp://{new string('a', 64)}.com/live", out _, out _));
        Assert.True(UpstreamUrl.TryParse($"rtmp://{label}.com/live", out _, out _));
    }
}
