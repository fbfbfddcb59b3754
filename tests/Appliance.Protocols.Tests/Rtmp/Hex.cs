namespace Appliance.Protocols.Tests.Rtmp;

internal static class Hex
{
    /// <summary>Parses "02 00 00 ..." (spaces ignored).</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Pattern(int length, int seed = 0) =>
        Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();
}
