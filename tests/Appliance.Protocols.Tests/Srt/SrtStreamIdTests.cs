using Appliance.Protocols.Srt;

namespace Appliance.Protocols.Tests.Srt;

public sealed class SrtStreamIdTests
{
    [Theory]
    [InlineData("#!::r=live/cam1,m=publish", "live", "cam1", SrtMode.Publish, null, null)]
    [InlineData("#!::m=request,r=live/cam1", "live", "cam1", SrtMode.Request, null, null)]
    [InlineData("#!::r=live/cam1", "live", "cam1", SrtMode.Publish, null, null)]
    [InlineData("#!::r=live/cam1,m=publish,t=auth_key=1700000000-0-0-abc", "live", "cam1", SrtMode.Publish, "auth_key=1700000000-0-0-abc", null)]
    [InlineData("#!::r=live/cam1?txSecret=ab&txTime=65000000,m=request", "live", "cam1", SrtMode.Request, "txSecret=ab&txTime=65000000", null)]
    [InlineData("#!::r=live/cam1?a=1,t=b=2", "live", "cam1", SrtMode.Publish, "a=1&b=2", null)]
    [InlineData("#!::r=live/cam1,h=example.com,u=alice,s=42", "live", "cam1", SrtMode.Publish, null, "example.com")]
    [InlineData("live/cam1", "live", "cam1", SrtMode.Publish, null, null)]
    [InlineData("live/cam1?token=abc", "live", "cam1", SrtMode.Publish, "token=abc", null)]
    public void ReadsTheFormsEncodersAndPlayersSend(string text, string app, string stream, SrtMode mode, string? query, string? host)
    {
        var id = SrtStreamId.Parse(text, out var problem);

        Assert.Equal("", problem);
        Assert.Equal(new SrtStreamId(app, stream, mode, query, host), id);
    }

    [Theory]
    [InlineData("", "no stream id")]
    [InlineData(null, "no stream id")]
    [InlineData("#!::r=live/cam1,m=play", "unknown mode m=play (publish or request)")]
    [InlineData("#!::r=live/cam1,m=", "unknown mode m= (publish or request)")]
    [InlineData("#!::m=publish", "stream id has no r=")]
    [InlineData("#!::r=live/cam1,r=live/cam2", "stream id names 'r' twice")]
    [InlineData("#!::r=live/cam1,garbage", "stream id entry 'garbage' is not key=value")]
    [InlineData("#!::r=live", "resource 'live' is not app/stream")]
    [InlineData("#!::r=/cam1", "resource '/cam1' is not app/stream")]
    [InlineData("live/", "resource 'live/' is not app/stream")]
    [InlineData("cam1", "resource 'cam1' is not app/stream")]
    public void RefusesWhatCannotBeServedSayingWhy(string? text, string reason)
    {
        Assert.Null(SrtStreamId.Parse(text, out var problem));
        Assert.StartsWith(reason, problem);
    }

    [Fact]
    public void RefusesAStreamIdLongerThanSrtCarries()
    {
        var tenKilobytes = "#!::r=live/" + new string('a', 10 * 1024);

        Assert.Null(SrtStreamId.Parse(tenKilobytes, out var problem));
        Assert.Equal("stream id longer than 512 characters", problem);
        Assert.NotNull(SrtStreamId.Parse("#!::r=live/" + new string('a', 512 - 11), out _));
    }

    [Fact]
    public void AVeryLongBadValueIsShortenedInTheReason()
    {
        Assert.Null(SrtStreamId.Parse("#!::r=live/x,m=" + new string('z', 300), out var problem));
        Assert.Equal($"unknown mode m={new string('z', 40)}... (publish or request)", problem);
    }
}
