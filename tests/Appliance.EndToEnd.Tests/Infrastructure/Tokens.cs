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

    /// <summary>Type B: `/{YYYYMMDDHHMM in UTC+8}/{md5(key + time + path)}{path}`.</summary>
    public static string TypeBPath(string path, string key, long timestamp)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(timestamp).ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
        return $"/{time}/{Md5(key + time + path)}{path}";
    }

    /// <summary>Type C query form: `sign={md5(key + path + hexTime)}&t={hexTime}`.</summary>
    public static string TypeCQuery(string path, string key, long timestamp)
    {
        var hexTime = timestamp.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        return $"sign={Md5(key + path + hexTime)}&t={hexTime}";
    }

    /// <summary>Stream secret: `txSecret={md5(key + streamName + txTime)}&txTime={hex expiry}`.</summary>
    public static string StreamSecret(string stream, string key, long expiry)
    {
        var txTime = expiry.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        return $"txSecret={Md5(key + stream + txTime)}&txTime={txTime}";
    }

    /// <summary>HMAC (EdgeAuth style): `__token__=[ip=..~]st=..~exp=..~acl=..~hmac={hex HMAC-SHA256(hex key, fields)}`.</summary>
    public static string Hmac(string acl, string hexKey, long start, long end, string? ip = null)
    {
        var fields = $"{(ip is null ? "" : $"ip={ip}~")}st={start}~exp={end}~acl={acl}";
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(hexKey), Encoding.UTF8.GetBytes(fields)));
        return $"__token__={fields}~hmac={mac}";
    }
}
