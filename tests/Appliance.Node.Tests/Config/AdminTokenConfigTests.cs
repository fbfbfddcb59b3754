using Appliance.Node.Config;
using Appliance.Node.ControlSocket;

namespace Appliance.Node.Tests.Config;

/// <summary>admin.token: off when empty, else a header-safe secret long enough not to be guessed; never shown.</summary>
public sealed class AdminTokenConfigTests
{
    [Theory]
    [InlineData("short-token")]
    [InlineData("a token with spaces in it")]
    [InlineData("tab\\tseparated-token-value")]
    [InlineData("non-ascii-tökén-0123456789")]
    public void A_token_that_is_short_or_not_visible_ascii_is_refused(string jsonText)
    {
        var json = $$"""{ "admin": { "token": "{{jsonText}}" } }""";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));

        Assert.Contains("config: $.admin.token: must be empty (no command API) or 16 to 256 visible ASCII characters without spaces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_longer_than_256_characters_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($$"""{ "admin": { "token": "{{new string('x', 257)}}" } }"""));

        Assert.Contains("$.admin.token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef")]
    [InlineData("Zm9vYmFyYmF6cXV4LzEyMys9PQ==~!")]
    public void Empty_or_a_long_visible_token_is_taken(string token)
    {
        var config = ConfigLoader.Parse($$"""{ "admin": { "token": "{{token}}" } }""");

        Assert.Equal(token, config.Admin.Token);
    }

    [Fact]
    public void The_default_has_no_token_so_no_command_API()
    {
        Assert.Equal("", new ApplianceConfig().Admin.Token);
    }

    [Fact]
    public void The_config_command_masks_the_token()
    {
        var config = new ApplianceConfig();
        config.Admin.Token = "the-admin-token-0123456789";

        var json = ConfigMasking.Effective(config).GetRawText();

        Assert.DoesNotContain("the-admin-token-0123456789", json, StringComparison.Ordinal);
        Assert.Contains("\"token\":\"*****\"", json, StringComparison.Ordinal);
    }
}
