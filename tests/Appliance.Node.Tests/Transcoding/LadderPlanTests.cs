using Appliance.Node.Config;
using Appliance.Node.Transcoding;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Tests.Transcoding;

/// <summary>Which rungs a source gets: those below its height (no upscaling), named {stream}_{label}.</summary>
public sealed class LadderPlanTests
{
    private static readonly StreamKey Cam = new("default", "live", "cam");

    private static LadderConfig Ladder(params (string Label, int Height)[] rungs) => new()
    {
        Rungs = [.. rungs.Select(r => new RungConfig { Label = r.Label, Height = r.Height, VideoBitrate = "1M" })],
    };

    [Fact]
    public void A_720p_source_gets_its_480p_and_360p_rungs_and_not_the_720p_one()
    {
        var plan = LadderPlan.For(Cam, Ladder(("720p", 720), ("480p", 480), ("360p", 360)), sourceHeight: 720, maxNameLength: 200);

        Assert.Equal(["480p", "360p"], plan.Rungs.Select(r => r.Label));
        Assert.Equal(["cam_480p", "cam_360p"], plan.Rungs.Select(r => r.Key.Name));
        Assert.All(plan.Rungs, r => Assert.Equal(("default", "live"), (r.Key.Domain, r.Key.App)));
        var (label, reason) = Assert.Single(plan.Skipped);
        Assert.Equal("720p", label);
        Assert.Equal("the source is 720 pixels high and a ladder does not upscale", reason);
    }

    [Fact]
    public void A_360p_source_gets_no_rung_at_or_above_its_height()
    {
        var plan = LadderPlan.For(Cam, Ladder(("480p", 480), ("360p", 360)), sourceHeight: 360, maxNameLength: 200);

        Assert.Empty(plan.Rungs);
        Assert.Equal(["480p", "360p"], plan.Skipped.Select(s => s.Label));
        Assert.Null(plan.Find("480p"));
    }

    [Fact]
    public void A_rung_whose_stream_name_would_be_too_long_is_skipped()
    {
        var plan = LadderPlan.For(Cam, Ladder(("low", 240)), sourceHeight: 720, maxNameLength: 6);

        Assert.Empty(plan.Rungs);
        Assert.Equal("the stream name cam_low is longer than the app's maxStreamNameLength (6)", Assert.Single(plan.Skipped).Reason);
    }

    [Fact]
    public void A_rung_carries_its_bit_rate_and_the_encoders_default_preset_unless_it_names_one()
    {
        var ladder = new LadderConfig
        {
            Rungs =
            [
                new RungConfig { Label = "480p", Height = 480, VideoBitrate = "1.2M" },
                new RungConfig { Label = "360p", Height = 360, VideoBitrate = "600k", Preset = "ultrafast", Profile = "main", Fps = 15 },
            ],
        };

        var plan = LadderPlan.For(Cam, ladder, 720, 200);

        Assert.Equal(new PlannedRung("480p", Cam with { Name = "cam_480p" }, 480, 1_200_000, null, null, "veryfast"), plan.Rungs[0]);
        Assert.Equal(new PlannedRung("360p", Cam with { Name = "cam_360p" }, 360, 600_000, 15, "main", "ultrafast"), plan.Rungs[1]);
    }

    [Theory]
    [InlineData("cam_480p", "cam", "480p")]
    [InlineData("my_cam_360p", "my_cam", "360p")]
    [InlineData("cam_hd_low", "cam", "hd_low")]
    [InlineData("cam_low", "cam", "low")]
    public void A_rung_name_splits_into_its_source_and_label(string name, string source, string label)
    {
        var ladder = Ladder(("480p", 480), ("360p", 360), ("low", 240), ("hd_low", 540));

        Assert.True(LadderPlan.TrySplit(name, ladder, out var s, out var l));
        Assert.Equal((source, label), (s, l));
    }

    [Theory]
    [InlineData("cam")]
    [InlineData("cam_720p")]
    [InlineData("_480p")]
    [InlineData("480p")]
    [InlineData("cam480p")]
    [InlineData("cam_480P")]
    public void Other_names_are_no_rungs(string name)
    {
        Assert.False(LadderPlan.TrySplit(name, Ladder(("480p", 480), ("360p", 360)), out _, out _));
    }
}
