using Appliance.Node.Http;

namespace Appliance.Node.Tests.Http;

public class StreamUrlTests
{
    [Theory]
    [InlineData("/live/cam.flv", "live", "cam", "flv", null)]
    [InlineData("/live/cam.m3u8", "live", "cam", "m3u8", null)]
    [InlineData("/live/cam.v2.ts", "live", "cam.v2", "ts", null)]
    [InlineData("/live/cam/42.ts", "live", "cam", "", "42.ts")]
    public void AStreamOrOneOfItsFilesIsRead(string path, string app, string name, string extension, string? file)
    {
        Assert.True(StreamUrl.TryParse(path, out var a, out var n, out var e, out var f));
        Assert.Equal((app, name, extension, file), (a, n, e, f));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("//cam.flv")]
    [InlineData("/live")]
    [InlineData("/live/cam")]
    [InlineData("/live/.flv")]
    [InlineData("/live//42.ts")]
    [InlineData("/live/cam/")]
    [InlineData("/live/cam/a/b.ts")]
    public void APathThatNamesNoStreamIsRefused(string path)
    {
        Assert.False(StreamUrl.TryParse(path, out _, out _, out _, out _));
    }
}
