using Appliance.Load.Cli;

namespace Appliance.Load.Tests.Cli;

public class ChurnOptionsTests
{
    [Fact]
    public void ChurnTakesAPerSecondCountAndASeed()
    {
        var options = LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a", "--viewers", "2000", "--churn", "50", "--seed", "9"]);

        Assert.Null(options.Error);
        Assert.Equal(50, options.Churn);
        Assert.Equal(9, options.Seed);
        Assert.Equal(0, LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a"]).Churn);
    }

    [Theory]
    [InlineData(new[] { "--url", "rtmp://127.0.0.1/live/a", "--viewers", "10", "--churn", "11" }, "--churn 11 is more than --viewers 10: it stops that many viewers each second")]
    [InlineData(new[] { "--url", "rtmp://127.0.0.1/live/a", "--seed", "3" }, "--seed needs --hostile N or --churn PER_SECOND")]
    [InlineData(new[] { "--hostile", "5", "--url", "rtmp://127.0.0.1/live/a", "--churn", "2" }, "--churn does not apply to --hostile (it opens no viewers; run the viewers in another appliance-load)")]
    [InlineData(new[] { "--url", "rtmp://127.0.0.1/live/a", "--churn", "0" }, "--churn needs a number between 1 and 1000000")]
    public void AWrongChurnOptionIsRefusedAndSaysWhy(string[] args, string error)
    {
        Assert.Equal(error, LoadOptions.Parse(args).Error);
    }
}
