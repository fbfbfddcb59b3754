using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>An app's "renditions" section: what it accepts, and each refusal in the user's words with its key path.</summary>
public sealed class RenditionsConfigTests
{
    private static string App(string renditions) =>
        "{ \"domains\": [ { \"name\": \"default\", \"apps\": [ { \"name\": \"live\", \"renditions\": " + renditions + " } ] } ] }";

    [Theory]
    [InlineData("{ \"labels\": [ \"720p\", \"480p\" ], \"groups\": { \"cam\": [ \"cam\" ] } }", "$.domains[0].apps[0].renditions: has both labels and groups: use one or the other")]
    [InlineData("{ \"labels\": [ \"\" ] }", "$.domains[0].apps[0].renditions.labels[0]: must be 1 to 32 letters, digits, '-' or '_'")]
    [InlineData("{ \"labels\": [ \"720p\", \"hd/1\" ] }", "$.domains[0].apps[0].renditions.labels[1]: must be 1 to 32 letters, digits, '-' or '_'")]
    [InlineData("{ \"labels\": [ \"a.b\" ] }", "$.domains[0].apps[0].renditions.labels[0]: must be 1 to 32 letters, digits, '-' or '_'")]
    [InlineData("{ \"labels\": [ \"abcdefghijklmnopqrstuvwxyz0123456\" ] }", "$.domains[0].apps[0].renditions.labels[0]: must be 1 to 32 letters, digits, '-' or '_'")]
    [InlineData("{ \"labels\": [ \"720p\", \"720p\" ] }", "$.domains[0].apps[0].renditions.labels[1]: '720p' is listed twice")]
    [InlineData("{ \"labels\": [ \"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"k\", \"l\", \"m\", \"n\", \"o\", \"p\", \"q\" ] }", "$.domains[0].apps[0].renditions.labels: lists more than 16 labels")]
    [InlineData("{ \"labels\": null }", "$.domains[0].apps[0].renditions.labels: must be an array of labels")]
    [InlineData("{ \"groups\": null }", "$.domains[0].apps[0].renditions.groups: must be an object of group names and their streams")]
    [InlineData("{ \"groups\": { \"a b\": [ \"cam\" ] } }", "$.domains[0].apps[0].renditions.groups.a b: the group name must be a stream name (1 to 200 characters, none of / ? # % \\ or spaces)")]
    [InlineData("{ \"groups\": { \"show\": [] } }", "$.domains[0].apps[0].renditions.groups.show: must list 1 to 16 streams")]
    [InlineData("{ \"groups\": { \"show\": null } }", "$.domains[0].apps[0].renditions.groups.show: must be an array of stream names")]
    [InlineData("{ \"groups\": { \"show\": [ \"cam\", \"cam?hd\" ] } }", "$.domains[0].apps[0].renditions.groups.show[1]: must be a stream name (1 to 200 characters, none of / ? # % \\ or spaces)")]
    [InlineData("{ \"groups\": { \"show\": [ \"cam\", \"\" ] } }", "$.domains[0].apps[0].renditions.groups.show[1]: must be a stream name (1 to 200 characters, none of / ? # % \\ or spaces)")]
    [InlineData("{ \"groups\": { \"show\": [ \"cam\", \"cam\" ] } }", "$.domains[0].apps[0].renditions.groups.show[1]: 'cam' is listed twice")]
    [InlineData("{ \"groups\": { \"show\": [ \"cam\", \"cam_sd\" ], \"other\": [ \"cam_sd\" ] } }", "$.domains[0].apps[0].renditions.groups.other[0]: 'cam_sd' is already in group 'show': a stream belongs to one group")]
    [InlineData("null", "$.domains[0].apps[0].renditions: must be an object")]
    public void A_bad_renditions_setting_is_refused_with_its_key_path_and_why(string renditions, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(renditions), "t.json"));

        Assert.Contains($"t.json: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_members_in_a_group_are_refused()
    {
        var members = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"\"cam_{i}\""));

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App($"{{ \"groups\": {{ \"show\": [ {members} ] }} }}"), "t.json"));

        Assert.Contains("$.domains[0].apps[0].renditions.groups.show: must list 1 to 16 streams", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_a_thousand_groups_are_refused()
    {
        var groups = string.Join(", ", Enumerable.Range(0, 1001).Select(i => $"\"g{i}\": [ \"cam_{i}\" ]"));

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App($"{{ \"groups\": {{ {groups} }} }}"), "t.json"));

        Assert.Contains("$.domains[0].apps[0].renditions.groups: has more than 1000 groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_the_apps_stream_names_is_refused()
    {
        var json = "{ \"domains\": [ { \"name\": \"default\", \"apps\": [ { \"name\": \"live\", \"maxStreamNameLength\": 8, \"renditions\": { \"groups\": { \"show\": [ \"cam_hd_long\" ] } } } ] } ] }";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "t.json"));

        Assert.Contains("$.domains[0].apps[0].renditions.groups.show[0]: must be a stream name (1 to 8 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_kinds_inside_the_groups_map_are_reported_with_their_path_and_line()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("{\n \"groups\": {\n  \"show\": [ \"cam\", 7 ],\n  \"other\": \"cam_sd\" } }"), "t.json"));

        Assert.Contains("$.domains[0].apps[0].renditions.groups.show[1]: must be a string (line 3, column 20)", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.domains[0].apps[0].renditions.groups.other: must be an array (line 4, column 12)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_reported_with_the_known_keys()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("{ \"label\": [ \"720p\" ] }"), "t.json"));

        Assert.Contains("$.domains[0].apps[0].renditions.label: unknown key; known keys here: labels, groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_or_groups_are_read_and_the_default_groups_nothing()
    {
        var labels = ConfigLoader.Parse(App("{ \"labels\": [ \"720p\", \"480p\", \"360p\" ] }")).Domains[0].Apps[0].Renditions;
        var groups = ConfigLoader.Parse(App("{ \"groups\": { \"show\": [ \"cam_hd\", \"cam_sd\" ] } }")).Domains[0].Apps[0].Renditions;
        var none = ConfigLoader.Parse("{}").Domains[0].Apps[0].Renditions;

        Assert.Equal(["720p", "480p", "360p"], labels.Labels);
        Assert.Equal(["cam_hd", "cam_sd"], groups.Groups["show"]);
        Assert.Empty(none.Labels);
        Assert.Empty(none.Groups);
    }
}
