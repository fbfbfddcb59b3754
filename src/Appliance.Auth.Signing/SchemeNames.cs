namespace Appliance.Auth.Signing;

/// <summary>The schemes that can be signed, spelled as in the config (the node's AuthSchemes; a test keeps them equal).</summary>
public static class SchemeNames
{
    public const string TypeA = "typeA";
    public const string TypeB = "typeB";
    public const string TypeC = "typeC";
    public const string StreamSecret = "streamSecret";
    public const string Hmac = "hmac";

    public static readonly string[] All = [TypeA, TypeB, TypeC, StreamSecret, Hmac];
}
