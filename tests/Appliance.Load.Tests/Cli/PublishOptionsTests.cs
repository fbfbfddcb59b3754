using Appliance.Load.Cli;

namespace Appliance.Load.Tests.Cli;

public class PublishOptionsTests
{
    [Fact]
    public void PublishWithASourceAndNoViewersIsAPublishOnlyRunThatReadsStamps()
    {
        var options = LoadOptions.Parse(["--publish", "rtmp://127.0.0.1:1935/live/lat", "--source", "clip.flv", "--publish-start", "4294964", "--viewers-after", "2.5"]);

        Assert.Null(options.Error);
        Assert.Equal("lat", options.PublishUrl!.StreamName);
        Assert.Equal(4_294_964_000, options.PublishStartMs);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.ViewersAfter);
        Assert.True(options.Stamps);
        Assert.Empty(options.Urls);
        Assert.Empty(new Appliance.Load.Run.LoadRun(options).Viewers);
    }

    [Fact]
    public void ViewersReadStampsOnlyWhenAsked()
    {
        Assert.False(LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a"]).Stamps);
        Assert.True(LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a", "--stamps"]).Stamps);
    }

    [Theory]
    [InlineData(new[] { "--publish", "rtmp://127.0.0.1/live/a" }, "--publish needs --source FILE (an FLV file, as ffmpeg -f flv writes it)")]
    [InlineData(new[] { "--publish", "http://127.0.0.1/live/a.flv", "--source", "f.flv" }, "--publish http://127.0.0.1/live/a.flv: not an rtmp:// URL")]
    [InlineData(new[] { "--publish", "rtmp://10.1.2.3/live/a", "--source", "f.flv" }, "--publish rtmp://10.1.2.3/live/a: '10.1.2.3' is not a loopback address; load goes to 127.0.0.0/8, ::1 or localhost unless --allow-remote is given")]
    [InlineData(new[] { "--source", "f.flv", "--url", "rtmp://127.0.0.1/live/a" }, "--source needs --publish URL")]
    [InlineData(new[] { "--viewers-after", "3", "--url", "rtmp://127.0.0.1/live/a" }, "--viewers-after needs --publish URL")]
    [InlineData(new[] { "--hostile", "5", "--url", "rtmp://127.0.0.1/live/a", "--publish", "rtmp://127.0.0.1/live/a" }, "--publish does not apply to --hostile")]
    [InlineData(new[] { "--publish" }, "--publish needs a value")]
    public void AWrongPublisherOptionIsRefusedAndSaysWhy(string[] args, string error)
    {
        Assert.Equal(error, LoadOptions.Parse(args).Error);
    }
}
