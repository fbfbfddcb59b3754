namespace Appliance.Node.Config;

/// <summary>The <c>srt</c> section and each app's <c>srt</c>: the ranges libsrt itself accepts, so a bad value is refused at load, not at a caller's handshake.</summary>
internal static class SrtConfigValidator
{
    public const int MinLatencyMs = 20;
    public const int MaxLatencyMs = 10_000;

    public static void Validate(SrtConfig? srt, Action<bool, string, string> check)
    {
        check(srt is not null, "srt", "must be an object");
        if (srt is null)
        {
            return;
        }
        check(srt.Listen is not null && (srt.Listen.Length == 0 || ConfigValidator.TryParseEndPoint(srt.Listen, out _)), "srt.listen", $"'{srt.Listen}' is not host:port (or \"\" for no SRT listener)");
        check(srt.LatencyMs is >= MinLatencyMs and <= MaxLatencyMs, "srt.latencyMs", $"must be between {MinLatencyMs} and {MaxLatencyMs}");
        check(srt.PayloadSize is >= 188 and <= 1316 && srt.PayloadSize % 188 == 0, "srt.payloadSize", "must be a multiple of 188 (one TS packet) up to 1316");
        check(srt.MaxBandwidth >= 0, "srt.maxBandwidth", "must not be negative (0 = SRT's own limit)");
        check(srt.OverheadPercent is >= 5 and <= 100, "srt.overheadPercent", "must be between 5 and 100");
    }

    public static void Validate(AppSrtConfig? srt, string at, Action<bool, string, string> check)
    {
        check(srt is not null, at, "must be an object");
        if (srt is null)
        {
            return;
        }
        check(srt.LatencyMs is null or (>= MinLatencyMs and <= MaxLatencyMs), $"{at}.latencyMs", $"must be between {MinLatencyMs} and {MaxLatencyMs}, or null for srt.latencyMs");
        check(srt.Passphrase is not null && (srt.Passphrase.Length == 0 || srt.Passphrase.Length is >= 10 and <= 79), $"{at}.passphrase", "must be 10 to 79 characters, or empty for no encryption");
        check(srt.KeyLength is 0 or 16 or 24 or 32, $"{at}.keyLength", "must be 16, 24 or 32 (bytes of AES key), or 0 for the caller's");
        check(srt.KeyLength == 0 || srt.Passphrase is { Length: > 0 }, $"{at}.keyLength", "needs a passphrase");
    }
}
