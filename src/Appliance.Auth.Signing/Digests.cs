using System.Security.Cryptography;
using System.Text;

namespace Appliance.Auth.Signing;

/// <summary>The two digests the schemes use, as lower-case hex.</summary>
internal static class Digests
{
    public static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public static string HmacSha256Hex(byte[] key, string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
}
