using System.Security.Cryptography;
using System.Text;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>Signs URLs the way a customer's site would, per ../shared/specs/AUTH.md.</summary>
public static class Tokens
{
    /// <summary>Type A: `auth_key={timestamp}-{rand}-{uid}-{md5(path-timestamp-rand-uid-key)}`.</summary>
    public static string TypeA(string path, string key, long timestamp, string rand = "0", string uid = "0") =>
        $"auth_key={timestamp}-{rand}-{uid}-{Md5($"{path}-{timestamp}-{rand}-{uid}-{key}")}";

    /// <summary>Type C path form: `/{md5(key + path + hexTime)}/{hexTime}{path}`.</summary>
    public static string TypeCPath(string path, string key, long timestamp)
    {
        var hexTime = timestamp.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        return $"/{Md5(key + path + hexTime)}/{hexTime}{path}";
    }

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
