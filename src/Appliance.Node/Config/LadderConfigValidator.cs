namespace Appliance.Node.Config;

/// <summary>Checks an app's "ladder" and the node's "transcode", so that a transcoder the node starts cannot fail on its settings.</summary>
internal static class LadderConfigValidator
{
    public const int MaxRungs = 8;
    public const int MaxLabelChars = 16;
    public const int MaxHeight = 4320;

    /// <summary>The helpers (util-linux) a transcoder is started through: its own process group, and death with the daemon.</summary>
    public static readonly IReadOnlyList<string> Helpers = ["setsid", "setpriv"];

    /// <param name="at">The key path of the section without "$.", e.g. "domains[0].apps[0].ladder".</param>
    public static void Validate(LadderConfig? ladder, string at, Action<bool, string, string> check)
    {
        if (ladder is null)
        {
            check(false, at, "must be an object");
            return;
        }
        var encoder = ladder.Encoder;
        check(encoder is not null && LadderEncoders.All.Contains(encoder), $"{at}.encoder", $"must be one of {string.Join(", ", LadderEncoders.All)}");
        check(ladder.Mode is LadderModes.OnDemand or LadderModes.Always, $"{at}.mode", $"must be {LadderModes.OnDemand} or {LadderModes.Always}");
        check(ladder.IdleStopSeconds is >= 5 and <= 3600, $"{at}.idleStopSeconds", "must be between 5 and 3600");
        if (ladder.Rungs is null)
        {
            check(false, $"{at}.rungs", "must be an array of rungs");
            return;
        }
        check(ladder.Rungs.Count <= MaxRungs, $"{at}.rungs", $"lists more than {MaxRungs} rungs");
        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < ladder.Rungs.Count; i++)
        {
            ValidateRung(ladder.Rungs[i], encoder ?? "", $"{at}.rungs[{i}]", labels, check);
        }
    }

    private static void ValidateRung(RungConfig? rung, string encoder, string at, HashSet<string> labels, Action<bool, string, string> check)
    {
        if (rung is null)
        {
            check(false, at, "must be an object");
            return;
        }
        check(IsLabel(rung.Label), $"{at}.label", $"must be 1 to {MaxLabelChars} letters, digits, '-' or '_' (it ends the rung's stream name, {{stream}}_{{label}}, in URLs)");
        check(rung.Label is null || labels.Add(rung.Label), $"{at}.label", $"'{rung.Label}' is used by another rung (labels are compared ignoring case)");
        check(rung.Height is > 0 and <= MaxHeight && rung.Height % 2 == 0, $"{at}.height", $"must be an even number of pixels between 2 and {MaxHeight}");
        check(Bitrate.TryParse(rung.VideoBitrate, out var bits) && bits is >= Bitrate.Min and <= Bitrate.Max, $"{at}.videoBitrate",
            "must be a bit rate between 50k and 50M: bits per second, or a number with k or M (\"1200k\", \"2.5M\")");
        check(rung.Fps is null or (>= 1 and <= 120), $"{at}.fps", "must be between 1 and 120 (or left out to keep the source's)");
        check(rung.Profile is null || LadderEncoders.Profiles.Contains(rung.Profile), $"{at}.profile", $"must be one of {string.Join(", ", LadderEncoders.Profiles)} (or left out)");
        if (rung.Preset is not null && LadderEncoders.All.Contains(encoder))
        {
            var presets = LadderEncoders.Presets(encoder);
            check(presets.Contains(rung.Preset), $"{at}.preset",
                presets.Count == 0 ? $"{encoder} takes no preset: leave it out" : $"must be a {encoder} preset: {string.Join(", ", presets)}");
        }
    }

    /// <summary>The node-wide section; with a ladder configured, the programs a transcoder runs must be there.</summary>
    public static void ValidateTranscode(TranscodeConfig? transcode, string? firstLadder, Action<bool, string, string> check)
    {
        if (transcode is null)
        {
            check(false, "transcode", "must be an object");
            return;
        }
        check(transcode.MaxConcurrent is >= 1 and <= 256, "transcode.maxConcurrent", "must be between 1 and 256");
        check(!string.IsNullOrEmpty(transcode.FfmpegPath), "transcode.ffmpegPath", "must name ffmpeg: a program on PATH or an absolute path");
        if (firstLadder is null || string.IsNullOrEmpty(transcode.FfmpegPath))
        {
            return;
        }
        check(Executables.Find(transcode.FfmpegPath) is not null, "transcode.ffmpegPath",
            $"'{transcode.FfmpegPath}' is not an executable file{(transcode.FfmpegPath.Contains('/') ? "" : " on PATH")}, and {firstLadder} configures a ladder: install ffmpeg (apt-get install ffmpeg) or set transcode.ffmpegPath");
        foreach (var helper in Helpers)
        {
            check(Executables.Find(helper) is not null, "transcode",
                $"'{helper}' (util-linux) is not on PATH, and {firstLadder} configures a ladder: transcoders are started through setsid and setpriv");
        }
    }

    private static bool IsLabel(string? label) =>
        label is { Length: > 0 and <= MaxLabelChars } && !label.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
}
