namespace Appliance.Auth.Config;

/// <summary>The scheme names a config may use, spelled as in the JSON.</summary>
public static class AuthSchemes
{
    public const string None = "none";
    public const string TypeA = "typeA";
    public const string TypeB = "typeB";
    public const string TypeC = "typeC";
    public const string StreamSecret = "streamSecret";
    public const string Hmac = "hmac";
    public const string Callback = "callback";

    public static bool IsKnown(string? scheme) =>
        scheme is None or TypeA or TypeB or TypeC or StreamSecret or Hmac or Callback;

    /// <summary>The schemes that hash with <see cref="AuthRule.Key"/> as text (MD5 based).</summary>
    public static bool UsesTextKey(string? scheme) =>
        scheme is TypeA or TypeB or TypeC or StreamSecret;
}
