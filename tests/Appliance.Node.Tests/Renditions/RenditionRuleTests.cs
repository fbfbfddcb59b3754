using Appliance.Node.Config;
using Appliance.Node.Renditions;

namespace Appliance.Node.Tests.Renditions;

public sealed class RenditionRuleTests
{
    private static AppConfig Labels(params string[] labels) => new() { Renditions = new RenditionsConfig { Labels = [.. labels] } };

    private static AppConfig Groups(Dictionary<string, List<string>> groups) => new() { Renditions = new RenditionsConfig { Groups = groups } };

    [Fact]
    public void With_labels_a_group_is_its_own_name_then_each_labelled_name_in_order()
    {
        var app = Labels("720p", "480p", "360p");

        Assert.True(RenditionRule.Applies(app));
        Assert.Equal(["cam", "cam_720p", "cam_480p", "cam_360p"], RenditionRule.Members(app, "cam"));
    }

    [Theory]
    [InlineData("cam_480p", "cam")]
    [InlineData("cam", "cam")]
    [InlineData("my_cam_360p", "my_cam")]
    [InlineData("cam_1080p", "cam_1080p")]
    [InlineData("_480p", "_480p")]
    [InlineData("cam480p", "cam480p")]
    public void With_labels_a_stream_belongs_to_the_name_before_its_label(string stream, string group)
    {
        Assert.Equal(group, RenditionRule.GroupOf(Labels("720p", "480p", "360p"), stream));
    }

    [Fact]
    public void With_explicit_groups_only_the_named_groups_exist_with_the_streams_they_list()
    {
        var app = Groups(new() { ["show"] = ["cam_hd", "cam_sd"], ["talk"] = ["mic"] });

        Assert.True(RenditionRule.Applies(app));
        Assert.Equal(["cam_hd", "cam_sd"], RenditionRule.Members(app, "show"));
        Assert.Empty(RenditionRule.Members(app, "cam_hd"));
        Assert.Equal("show", RenditionRule.GroupOf(app, "cam_sd"));
        Assert.Equal("talk", RenditionRule.GroupOf(app, "mic"));
        Assert.Null(RenditionRule.GroupOf(app, "other"));
    }

    [Fact]
    public void Without_a_rule_nothing_is_grouped()
    {
        var app = new AppConfig();

        Assert.False(RenditionRule.Applies(app));
        Assert.Empty(RenditionRule.Members(app, "cam"));
        Assert.Null(RenditionRule.GroupOf(app, "cam"));
    }

    private static AppConfig Ladder(params (string Label, int Height)[] rungs) =>
        new() { Ladder = new LadderConfig { Rungs = [.. rungs.Select(r => new RungConfig { Label = r.Label, Height = r.Height, VideoBitrate = "1M" })] } };

    [Fact]
    public void A_ladder_makes_each_source_a_group_of_itself_and_its_rungs_highest_first()
    {
        var app = Ladder(("360p", 360), ("480p", 480));

        Assert.True(RenditionRule.Applies(app));
        Assert.Equal(["cam", "cam_480p", "cam_360p"], RenditionRule.Members(app, "cam"));
        Assert.Equal("cam", RenditionRule.GroupOf(app, "cam_360p"));
        Assert.Equal("cam", RenditionRule.GroupOf(app, "cam"));
    }

    [Fact]
    public void The_rules_labels_come_before_a_ladders_and_a_label_in_both_is_listed_once()
    {
        var app = Ladder(("480p", 480), ("360p", 360));
        app.Renditions = new RenditionsConfig { Labels = ["1080p", "480p"] };

        Assert.Equal(["cam", "cam_1080p", "cam_480p", "cam_360p"], RenditionRule.Members(app, "cam"));
        Assert.Equal("cam", RenditionRule.GroupOf(app, "cam_1080p"));
        Assert.Equal("cam", RenditionRule.GroupOf(app, "cam_360p"));
    }
}
