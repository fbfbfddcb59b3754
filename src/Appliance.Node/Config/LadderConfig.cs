namespace Appliance.Node.Config;

/// <summary>
/// An app's transcoding ladder: lower renditions the node makes from each stream published in the
/// app, one ffmpeg per source making every rung, each published back as stream
/// <c>{stream}_{label}</c>. Rungs at or above the source's height are not made (no upscaling): the
/// source is the top rung. No rungs, no ladder.
/// </summary>
public sealed class LadderConfig
{
    public List<RungConfig> Rungs { get; set; } = [];

    /// <summary>The video encoder: libx264 (software), or h264_nvenc, h264_vaapi, h264_qsv where the box has that hardware.</summary>
    public string Encoder { get; set; } = LadderEncoders.X264;

    /// <summary>"onDemand": start when a viewer asks for a rung, stop <see cref="IdleStopSeconds"/> after the last one left; "always": while the source is published.</summary>
    public string Mode { get; set; } = LadderModes.OnDemand;

    public int IdleStopSeconds { get; set; } = 30;
}

/// <summary>One rung of a ladder.</summary>
public sealed class RungConfig
{
    /// <summary>The rendition's name: the stream is <c>{stream}_{label}</c>. Letters, digits, '-' and '_'.</summary>
    public string Label { get; set; } = "";

    /// <summary>Output height in pixels (even); the width follows the source's aspect ratio.</summary>
    public int Height { get; set; }

    /// <summary>Target video bit rate: bits per second, or with a k or M suffix ("1200k", "2.5M").</summary>
    public string VideoBitrate { get; set; } = "";

    /// <summary>Output frame rate; unset keeps the source's frames as they are.</summary>
    public int? Fps { get; set; }

    /// <summary>H.264 profile: baseline, main or high; unset: the encoder's choice.</summary>
    public string? Profile { get; set; }

    /// <summary>Encoder preset; unset: the encoder's default for live (<see cref="LadderEncoders.DefaultPreset"/>).</summary>
    public string? Preset { get; set; }
}

public static class LadderModes
{
    public const string OnDemand = "onDemand";
    public const string Always = "always";
}

/// <summary>The encoders a ladder may name, and the presets each takes.</summary>
public static class LadderEncoders
{
    public const string X264 = "libx264";
    public const string Nvenc = "h264_nvenc";
    public const string Vaapi = "h264_vaapi";
    public const string Qsv = "h264_qsv";

    public static readonly IReadOnlyList<string> All = [X264, Nvenc, Vaapi, Qsv];

    /// <summary>The presets an encoder accepts; empty for one that has none (VAAPI).</summary>
    public static IReadOnlyList<string> Presets(string encoder) => encoder switch
    {
        X264 => ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"],
        Nvenc => ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
        Qsv => ["veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"],
        _ => [],
    };

    /// <summary>The preset a rung without one gets: fast enough for live on a CPU; null where the encoder has none.</summary>
    public static string? DefaultPreset(string encoder) => encoder switch
    {
        X264 => "veryfast",
        Nvenc => "p4",
        Qsv => "veryfast",
        _ => null,
    };

    public static readonly IReadOnlyList<string> Profiles = ["baseline", "main", "high"];
}

/// <summary>Node-wide settings of the transcoders that ladders run.</summary>
public sealed class TranscodeConfig
{
    /// <summary>The ffmpeg to run: a name looked up on PATH, or an absolute path.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Transcoders running at once on this node; one more is refused (logged) and its source plays on without rungs.</summary>
    public int MaxConcurrent { get; set; } = 4;
}
