using System.Globalization;

namespace Appliance.Relay.Pull;

/// <summary>
/// A parent's 64-bit media time, which an appliance parent sends when a pull opens (in
/// NetStream.Play.Start, in the HTTP-FLV response head). RTMP and FLV stamps are 32-bit: a node
/// that starts pulling after the stream passed 2^32 ms would otherwise start again near 0 and
/// number its HLS and CMAF segments apart from its parent's. Players ignore both.
/// </summary>
public static class ParentMediaTime
{
    /// <summary>The numeric property of the NetStream.Play.Start info object.</summary>
    public const string RtmpProperty = "applianceMediaTimeMs";

    /// <summary>The HTTP-FLV response header, a decimal number of milliseconds.</summary>
    public const string HttpHeader = "Appliance-Media-Time-Ms";

    // An AMF0 number is exact up to here; 2^53 ms is some 285,000 years.
    private const long Max = 1L << 53;

    /// <summary>The media time in <paramref name="value"/> (absent: null); a value that is not one gives null and says why.</summary>
    public static long? Read(double? value, out string? problem)
    {
        problem = null;
        if (value is not { } v)
        {
            return null;
        }
        if (!(v >= 0 && v <= Max && Math.Floor(v) == v))
        {
            problem = $"{RtmpProperty} {v.ToString(CultureInfo.InvariantCulture)} is not a whole number of milliseconds from 0 to 2^53";
            return null;
        }
        return (long)v;
    }

    /// <summary>The media time in a header's <paramref name="text"/> (absent: null); text that is not one gives null and says why.</summary>
    public static long? Read(string? text, out string? problem)
    {
        problem = null;
        if (text is null)
        {
            return null;
        }
        if (text.Length is 0 or > 16 || !text.All(char.IsAsciiDigit) || long.Parse(text, CultureInfo.InvariantCulture) > Max)
        {
            problem = $"{HttpHeader} \"{(text.Length > 32 ? text[..32] + "..." : text)}\" is not a decimal number of milliseconds from 0 to 2^53";
            return null;
        }
        return long.Parse(text, CultureInfo.InvariantCulture);
    }
}
