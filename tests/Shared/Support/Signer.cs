using System.Security.Cryptography;
using System.Text;

namespace Appliance.Tests.Support;

/// <summary>
/// Signs the way a customer's own code would: build the documented string, hash it, hex it.
/// Deliberately naive (whole strings, no spans) so it shares nothing with the checkers.
/// </summary>
internal static class Signer
{
    public static string Md5Hex(string input) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(input)));

    public static string HmacHex(string hexKey, string input) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(hexKey), Encoding.UTF8.GetBytes(input)));

    public static string TypeA(string path, long timestamp, string key, string rand = "0", string uid = "0") =>
        $"auth_key={timestamp}-{rand}-{uid}-{Md5Hex($"{path}-{timestamp}-{rand}-{uid}-{key}")}";

    /// <summary>The Type B URL path for <paramref name="path"/>, signed at the UTC+8 wall time given.</summary>
    public static string TypeBPath(string path, string utc8Time, string key) => $"/{utc8Time}/{Md5Hex(key + utc8Time + path)}{path}";

    public static string TypeCPath(string path, long unixSeconds, string key)
    {
        var hexTime = unixSeconds.ToString("X");
        return $"/{Md5Hex(key + path + hexTime)}/{hexTime}{path}";
    }

    public static string TypeCQuery(string path, long unixSeconds, string key, string signName = "sign", string timeName = "t")
    {
        var hexTime = unixSeconds.ToString("X");
        return $"{signName}={Md5Hex(key + path + hexTime)}&{timeName}={hexTime}";
    }

    public static string StreamSecret(string stream, string txTime, string key) =>
        $"txSecret={Md5Hex(key + stream + txTime)}&txTime={txTime}";

    /// <summary>An EdgeAuth token: the fields given (in order, already "name=value"), then "~hmac=".</summary>
    public static string EdgeToken(string hexKey, params string[] fields)
    {
        var signed = string.Join("~", fields);
        return $"{signed}~hmac={HmacHex(hexKey, signed)}";
    }

    /// <summary>A URL-mode EdgeAuth token: "url={path}" is signed right after exp but not carried.</summary>
    public static string EdgeUrlToken(string hexKey, string path, string[] before, string[] after)
    {
        var signed = string.Join("~", before.Append($"url={path}").Concat(after));
        var carried = string.Join("~", before.Concat(after));
        return $"{carried}~hmac={HmacHex(hexKey, signed)}";
    }

    /// <summary>The text with the hex digit at <paramref name="index"/> changed to a different one.</summary>
    public static string Flip(string text, int index) =>
        string.Concat(text.AsSpan(0, index), text[index] == '0' ? "1" : "0", text.AsSpan(index + 1));
}
