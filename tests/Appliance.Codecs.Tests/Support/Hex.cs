namespace Appliance.Codecs.Tests.Support;

internal static class Hex
{
    /// <summary>Parses hex with optional spaces, so vectors can be grouped by field.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
