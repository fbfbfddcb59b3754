using Appliance.Protocols.Srt;
using Appliance.Relay.Urls;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Tests.Urls;

public sealed class SrtUpstreamUrlTests
{
    [Theory]
    [InlineData("srt://parent:10080", "parent", 10080, "srt://parent:10080")]
    [InlineData("SRT://Parent.Example:10080/", "parent.example", 10080, "srt://parent.example:10080")]
    [InlineData("srt://10.0.0.7:9000?latency=600", "10.0.0.7", 9000, "srt://10.0.0.7:9000?latency=600")]
    [InlineData("srt://[2001:db8::7]:10080?mode=caller", "2001:db8::7", 10080, "srt://[2001:db8::7]:10080")]
    [InlineData("srt://parent:10080?passphrase=0123456789abc&pbkeylen=32&latency=300", "parent", 10080, "srt://parent:10080?latency=300&passphrase=*****&pbkeylen=32")]
    [InlineData("srt://parent:10080?streamid=#!::r={app}/{stream},m=request", "parent", 10080, "srt://parent:10080?streamid=#!::r={app}/{stream},m=request")]
    [InlineData("srt://parent:10080?streamid=%23!::r=live/{stream},m=request,t=secret", "parent", 10080, "srt://parent:10080?streamid=#!::r=live/{stream},m=request,t=*****")]
    [InlineData("srt://parent:10080?streamid=live/{stream}?auth_key=abc", "parent", 10080, "srt://parent:10080?streamid=live/{stream}?auth_key=*****")]
    public void AcceptsSrtWithItsOptions(string text, string host, int port, string canonical)
    {
        Assert.True(UpstreamUrl.TryParse(text, out var url, out var error), error);
        Assert.Equal(UpstreamProtocol.Srt, url.Protocol);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.False(url.IsTls);
        Assert.Null(url.HealthUrlPath);
        Assert.Null(HealthUrl.DefaultFor(url));
        Assert.NotNull(url.Srt);
        Assert.Equal(canonical, url.ToString());
        Assert.DoesNotContain("secret", url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultStreamIdsRequestOrPublishTheLocalAppAndStreamWithTheViaQuery()
    {
        Assert.True(UpstreamUrl.TryParse("srt://parent:10080", out var url, out _));
        var srt = url.Srt!;
        Assert.Equal("#!::r=live/cam,m=request", srt.StreamId("live", "cam", SrtMode.Request, null));
        Assert.Equal("#!::r=live/cam,m=publish", srt.StreamId("live", "cam", SrtMode.Publish, null));
        // The via list's commas would split the access-control entries: escaped, and Via reads them back.
        var id = srt.StreamId("live", "cam", SrtMode.Request, Via.Query(["edge1"], "mid2"));
        Assert.Equal("#!::r=live/cam?appliance_via=edge1%2Cmid2,m=request", id);
        var parsed = SrtStreamId.Parse(id, out var problem);
        Assert.NotNull(parsed);
        Assert.Equal(SrtMode.Request, parsed.Mode);
        Assert.Equal(["edge1", "mid2"], Via.Parse(parsed.Query));
    }

    [Theory]
    [InlineData("srt://p:1?streamid=%23!::r={app}/{stream},m=request,t=tok", "#!::r=live/cam?appliance_via=n,m=request,t=tok")]
    [InlineData("srt://p:1?streamid=%23!::m=request,r=up/{stream}?k=1", "#!::m=request,r=up/cam?k=1&appliance_via=n")]
    [InlineData("srt://p:1?streamid=other/{stream}", "other/cam?appliance_via=n")]
    public void ATemplateGetsItsPlaceholdersAndTheViaQueryOnItsResource(string text, string expected)
    {
        Assert.True(UpstreamUrl.TryParse(text, out var url, out var error), error);
        Assert.Equal(expected, url.Srt!.StreamId("live", "cam", SrtMode.Request, "appliance_via=n"));
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("a?b")]
    [InlineData("a&b")]
    [InlineData("a#b")]
    public void NamesAStreamIdCannotCarryAreRefused(string stream)
    {
        Assert.True(UpstreamUrl.TryParse("srt://p:1", out var url, out _));
        Assert.Throws<ArgumentException>(() => url.Srt!.StreamId("live", stream, SrtMode.Request, null));
    }

    [Fact]
    public void AStreamIdLongerThanSrtCarriesIsRefusedWhenMade()
    {
        Assert.True(UpstreamUrl.TryParse("srt://p:1", out var url, out _));
        var error = Assert.Throws<ArgumentException>(() => url.Srt!.StreamId("live", new string('x', 600), SrtMode.Request, null));
        Assert.Contains("at most 512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUrlsOptionsOverTheNodesSettings()
    {
        Assert.True(UpstreamUrl.TryParse("srt://p:1?latency=800&passphrase=0123456789&pbkeylen=24", out var url, out _));
        var settings = url.Srt!.Settings(new SrtSettings { PayloadSize = 1316 });
        Assert.Equal(800, settings.LatencyMs);
        Assert.Equal("0123456789", settings.Passphrase);
        Assert.Equal(24, settings.KeyLength);
        Assert.True(UpstreamUrl.TryParse("srt://p:1", out var plain, out _));
        Assert.Equal(SrtSettings.DefaultLatencyMs, plain.Srt!.Settings(new SrtSettings()).LatencyMs);
        Assert.Null(plain.Srt.Settings(new SrtSettings()).Passphrase);
    }

    [Theory]
    [InlineData("srt://parent", "needs a port (srt://host:port; SRT has no default port)")]
    [InlineData("srt://parent:0", "has an invalid port '0' (1 to 65535)")]
    [InlineData("srt://parent:70000", "has an invalid port '70000' (1 to 65535)")]
    [InlineData("srt://:10080", "has no host")]
    [InlineData("srt://user@parent:10080", "must not carry credentials (user@host)")]
    [InlineData("srt://parent:10080/live", "must not have a path (srt://host:port[?streamid=...]; the stream id names app and stream)")]
    [InlineData("srt://parent:10080#x", "must not carry a fragment (srt://host:port?streamid=...)")]
    [InlineData("srt://parent:10080?", "has an empty query after '?'")]
    [InlineData("srt://parent:10080?latency", "has a query entry 'latency' that is not option=value (options: streamid, passphrase, pbkeylen, latency, mode)")]
    [InlineData("srt://parent:10080?latency=", "has a query entry 'latency=' that is not option=value (options: streamid, passphrase, pbkeylen, latency, mode)")]
    [InlineData("srt://parent:10080?=5", "has a query entry '=5' that is not option=value (options: streamid, passphrase, pbkeylen, latency, mode)")]
    [InlineData("srt://parent:10080?latency=1&latency=2", "sets 'latency' twice")]
    [InlineData("srt://parent:10080?latency=-1", "has latency=-1; it takes whole milliseconds from 0 to 60000")]
    [InlineData("srt://parent:10080?latency=60001", "has latency=60001; it takes whole milliseconds from 0 to 60000")]
    [InlineData("srt://parent:10080?latency=1.5", "has latency=1.5; it takes whole milliseconds from 0 to 60000")]
    [InlineData("srt://parent:10080?latency=99999999999", "has latency=99999999999; it takes whole milliseconds from 0 to 60000")]
    [InlineData("srt://parent:10080?passphrase=short", "has a passphrase of 5 characters; SRT takes 10 to 79")]
    [InlineData("srt://parent:10080?pbkeylen=16", "sets pbkeylen without a passphrase")]
    [InlineData("srt://parent:10080?passphrase=0123456789&pbkeylen=20", "has pbkeylen=20; it takes 16, 24 or 32 (bytes of AES key)")]
    [InlineData("srt://parent:10080?mode=listener", "has mode=listener; a node only calls its parents and targets (mode=caller)")]
    [InlineData("srt://parent:10080?mode=rendezvous", "has mode=rendezvous; a node only calls its parents and targets (mode=caller)")]
    [InlineData("srt://parent:10080?transtype=file", "has an unknown option 'transtype' (options: streamid, passphrase, pbkeylen, latency, mode)")]
    [InlineData("srt://parent:10080?streamid=%zz", "has a '%' not followed by two hex digits in streamid")]
    [InlineData("srt://parent:10080?streamid=a%0Ab", "has streamid with a control or non-ASCII character once decoded")]
    [InlineData("srt://parent:10080?streamid=live/{name}", "has an unknown placeholder in streamid (only {app} and {stream})")]
    [InlineData("srt://parent:10080?streamid=%23!::m=request", "has a streamid the node could not send: stream id has no r= (the app/stream)")]
    [InlineData("srt://parent:10080?streamid=%23!::r={app}/{stream},m=play", "has a streamid the node could not send: unknown mode m=play (publish or request)")]
    [InlineData("srt://parent:10080?streamid=%23!::r={stream},m=request", "has a streamid the node could not send: resource 'stream' is not app/stream")]
    [InlineData("srt://parent:10080?streamid=%23!::r=a/{stream},r=b/{stream}", "has a streamid the node could not send: stream id names 'r' twice")]
    [InlineData("srt ://parent:10080", "contains a space")]
    public void RefusesWithTheReason(string text, string expected)
    {
        Assert.False(UpstreamUrl.TryParse(text, out var url, out var error));
        Assert.Null(url);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void RefusesAStreamIdLongerThanSrtCarries()
    {
        Assert.False(UpstreamUrl.TryParse("srt://parent:10080?streamid=" + new string('a', 513), out _, out var error));
        Assert.Equal("has a streamid of 513 characters; SRT carries at most 512", error);
    }

    [Fact]
    public void RefusesAPassphraseLongerThanSrtTakes()
    {
        Assert.False(UpstreamUrl.TryParse("srt://parent:10080?passphrase=" + new string('p', 80), out _, out var error));
        Assert.Equal("has a passphrase of 80 characters; SRT takes 10 to 79", error);
    }

    [Fact]
    public void OtherSchemesNameSrtAmongTheSupportedOnes()
    {
        Assert.False(UpstreamUrl.TryParse("udp://parent:1234", out _, out var error));
        Assert.Equal("scheme 'udp' is not supported; use rtmp://, rtmps://, http://, https:// or srt://", error);
    }
}
