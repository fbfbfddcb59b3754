using System.Globalization;

namespace Appliance.Ctl;

/// <summary>
/// A point in time on the command line: from now ("1h", "30m", "90s", "7d"; "-1h" is an hour
/// ago), "now", a Unix time in seconds (after 2001), or an ISO 8601 date (UTC unless it names its offset).
/// </summary>
internal static class TimeArgument
{
    public const string Forms = "a duration from now (90s, 30m, 1h, 7d, -1h), now, Unix seconds (after 2001), or an ISO 8601 date";

    // A bare "3600" meant as an hour would be a URL that expired in 1970: durations need a unit.
    private const long MinUnixSeconds = 1_000_000_000;

    // A century either way: more is a typo, and no scheme's time field reaches that far.
    private const long MaxOffsetSeconds = 100L * 366 * 86_400;

    public static bool TryParse(string text, long now, out long unixSeconds)
    {
        unixSeconds = 0;
        if (text == "now")
        {
            unixSeconds = now;
            return true;
        }
        if (text.Length >= 2 && Unit(text[^1]) is { } unit &&
            long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) &&
            Math.Abs(count) <= MaxOffsetSeconds / unit)
        {
            unixSeconds = now + count * unit;
            return true;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var absolute) && absolute >= MinUnixSeconds)
        {
            unixSeconds = absolute;
            return true;
        }
        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            unixSeconds = date.ToUnixTimeSeconds();
            return true;
        }
        return false;
    }

    private static long? Unit(char suffix) => suffix switch
    {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => null,
    };
}
