using System.Globalization;

namespace Appliance.Node.Config;

/// <summary>A bit rate as config writes it: "600000", "1200k", "2.5M" (k = 1000).</summary>
public static class Bitrate
{
    public const long Min = 50_000;
    public const long Max = 50_000_000;

    public static bool TryParse(string? text, out long bitsPerSecond)
    {
        bitsPerSecond = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 16)
        {
            return false;
        }
        var multiplier = text[^1] switch
        {
            'k' or 'K' => 1_000m,
            'M' => 1_000_000m,
            _ => 1m,
        };
        var number = multiplier == 1m ? text : text[..^1];
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        bitsPerSecond = (long)Math.Round(value * multiplier);
        return true;
    }
}
