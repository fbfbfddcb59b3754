using Appliance.Node.Config;
using Appliance.Node.ControlSocket;

namespace Appliance.Node.Tests.Config;

/// <summary>hls.encryption and security.hlsKeySecret: each refusal with its path and reason; the secret never shown.</summary>
public sealed class HlsEncryptionConfigTests
{
    private const string Secret = "00112233445566778899aabbccddeeff";
    private const string WithSecret = "\"security\": { \"hlsKeySecret\": \"" + Secret + "\" },";

    private static string App(string hls, string security = "") =>
        $$"""{ {{security}} "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": {{hls}} } ] } ] }""";

    public static TheoryData<string, string> Refusals => new()
    {
        { App("""{ "encryption": { "enabled": true } }"""),
            "$.domains[0].apps[0].hls.encryption.enabled: needs security.hlsKeySecret (the keys are derived from it)" },
        { App("""{ "encryption": { "enabled": true, "rotateEverySegments": 0 } }""", WithSecret),
            "$.domains[0].apps[0].hls.encryption.rotateEverySegments: must be between 1 and 1000000" },
        { App("""{ "encryption": { "rotateEverySegments": 1000001 } }"""),
            "$.domains[0].apps[0].hls.encryption.rotateEverySegments: must be between 1 and 1000000" },
        { App("""{ "encryption": null }"""), "$.domains[0].apps[0].hls.encryption: must be an object" },
        { """{ "security": { "hlsKeySecret": "00112233445566778899aabbccddee" } }""", "$.security.hlsKeySecret: must be at least 32 hex digits (16 bytes)" },
        { """{ "security": { "hlsKeySecret": "this is no hex but it is long enough" } }""", "$.security.hlsKeySecret: must be at least 32 hex digits (16 bytes)" },
        { """{ "security": { "hlsKeySecret": "00112233445566778899aabbccddeeff0" } }""", "$.security.hlsKeySecret: must be at least 32 hex digits (16 bytes)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachRuleRefusesWithItsPathAndReason(string json, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));

        Assert.Contains($"config: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownEncryptionKeyIsRefused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("""{ "encryption": { "method": "SAMPLE-AES" } }""")));

        Assert.Contains("$.domains[0].apps[0].hls.encryption.method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptionWithASecretIsTakenAndOffByDefault()
    {
        var config = ConfigLoader.Parse(App("""{ "encryption": { "enabled": true, "rotateEverySegments": 5 } }""", WithSecret));

        var hls = config.Domains[0].Apps[0].Hls;
        Assert.True(hls.Encryption.Enabled);
        Assert.Equal(5, hls.Encryption.RotateEverySegments);
        Assert.Equal(Secret, config.Security.HlsKeySecret);
        Assert.False(ConfigLoader.Parse("{}").Domains[0].Apps[0].Hls.Encryption.Enabled);
    }

    [Fact]
    public void TheSecretIsMaskedInTheEffectiveConfig()
    {
        var config = new ApplianceConfig();
        config.Security.HlsKeySecret = Secret;

        var effective = ConfigMasking.Effective(config);

        Assert.DoesNotContain(Secret, effective.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ConfigMasking.Mask, effective.GetProperty("security").GetProperty("hlsKeySecret").GetString());
    }
}
