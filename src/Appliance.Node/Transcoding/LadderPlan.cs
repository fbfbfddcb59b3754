using Appliance.Node.Config;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Transcoding;

/// <summary>One rung a transcoder makes: its label, the stream it publishes, and how it is encoded.</summary>
internal sealed record PlannedRung(string Label, StreamKey Key, int Height, long BitsPerSecond, int? Fps, string? Profile, string? Preset);

/// <summary>
/// Which rungs of a ladder a source gets: those below the source's height, in config order (the
/// source is the top rung; nothing is upscaled), each published as <c>{stream}_{label}</c>; the
/// others with the reason they are not made.
/// </summary>
internal sealed record LadderPlan(IReadOnlyList<PlannedRung> Rungs, IReadOnlyList<(string Label, string Reason)> Skipped)
{
    public static LadderPlan For(StreamKey source, LadderConfig ladder, int sourceHeight, int maxNameLength)
    {
        var rungs = new List<PlannedRung>();
        var skipped = new List<(string, string)>();
        foreach (var rung in ladder.Rungs)
        {
            var name = RungName(source.Name, rung.Label);
            if (rung.Height >= sourceHeight)
            {
                skipped.Add((rung.Label, $"the source is {sourceHeight} pixels high and a ladder does not upscale"));
            }
            else if (name.Length > maxNameLength)
            {
                skipped.Add((rung.Label, $"the stream name {name} is longer than the app's maxStreamNameLength ({maxNameLength})"));
            }
            else
            {
                Bitrate.TryParse(rung.VideoBitrate, out var bits);
                rungs.Add(new PlannedRung(rung.Label, source with { Name = name }, rung.Height, bits, rung.Fps, rung.Profile,
                    rung.Preset ?? LadderEncoders.DefaultPreset(ladder.Encoder)));
            }
        }
        return new LadderPlan(rungs, skipped);
    }

    public PlannedRung? Find(string label) => Rungs.FirstOrDefault(r => r.Label == label);

    public static string RungName(string source, string label) => $"{source}_{label}";

    /// <summary>
    /// Reads a stream name as a rung of <paramref name="ladder"/>: "{source}_{label}" for a label it
    /// lists (the longest that fits, as labels may hold '_'); false for any other name.
    /// </summary>
    public static bool TrySplit(string name, LadderConfig ladder, out string source, out string label)
    {
        source = label = "";
        foreach (var rung in ladder.Rungs)
        {
            var suffix = rung.Label.Length + 1;
            if (name.Length > suffix && rung.Label.Length > label.Length && name[^suffix] == '_' && name.EndsWith(rung.Label, StringComparison.Ordinal))
            {
                source = name[..^suffix];
                label = rung.Label;
            }
        }
        return label.Length > 0;
    }
}
