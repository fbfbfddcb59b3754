using Appliance.Node.Config;

namespace Appliance.Node.Renditions;

/// <summary>
/// An app's rendition rule (<see cref="RenditionsConfig"/>) read for one name: the streams of a
/// group, in the order given (the top first), and the group a stream belongs to. A ladder's rungs
/// are labels too (after the rule's own, highest first), so a source and its rungs are one group
/// at the same URLs as a customer's renditions. The same on every node: an edge learns a group
/// from its own copy of the rule (and ladder), not from its parent.
/// </summary>
public static class RenditionRule
{
    /// <summary>Whether the app groups streams at all.</summary>
    public static bool Applies(AppConfig app) => app.Renditions.Labels.Count > 0 || app.Renditions.Groups.Count > 0 || app.Ladder.Rungs.Count > 0;

    /// <summary>
    /// The labels that make <c>{group}_{label}</c> a rendition: the rule's, then the ladder's rungs
    /// the rule does not list, highest first. (The config refuses explicit groups with a ladder.)
    /// </summary>
    public static IReadOnlyList<string> Labels(AppConfig app)
    {
        var rungs = app.Ladder.Rungs;
        if (rungs.Count == 0)
        {
            return app.Renditions.Labels;
        }
        var labels = new List<string>(app.Renditions.Labels.Count + rungs.Count);
        labels.AddRange(app.Renditions.Labels);
        foreach (var rung in rungs.OrderByDescending(r => r.Height))
        {
            if (!labels.Contains(rung.Label, StringComparer.Ordinal))
            {
                labels.Add(rung.Label);
            }
        }
        return labels;
    }

    /// <summary>The names of group <paramref name="group"/>'s streams, top first; empty when the rule makes no group of that name.</summary>
    public static IReadOnlyList<string> Members(AppConfig app, string group)
    {
        var rule = app.Renditions;
        if (rule.Groups.Count > 0)
        {
            return rule.Groups.TryGetValue(group, out var members) ? members : [];
        }
        var labels = Labels(app);
        if (labels.Count == 0)
        {
            return [];
        }
        var names = new List<string>(labels.Count + 1) { group };
        foreach (var label in labels)
        {
            names.Add($"{group}_{label}");
        }
        return names;
    }

    /// <summary>
    /// The group <paramref name="stream"/> is a rendition of, or null: with labels, the name
    /// before a label's suffix ("cam" for "cam_480p"), else the stream itself (the top of its
    /// own group); with explicit groups, the group that lists it.
    /// </summary>
    public static string? GroupOf(AppConfig app, string stream)
    {
        var rule = app.Renditions;
        if (rule.Groups.Count > 0)
        {
            foreach (var (group, members) in rule.Groups)
            {
                if (members.Contains(stream, StringComparer.Ordinal))
                {
                    return group;
                }
            }
            return null;
        }
        var labels = Labels(app);
        if (labels.Count == 0)
        {
            return null;
        }
        foreach (var label in labels)
        {
            if (stream.Length > label.Length + 1 && stream.EndsWith(label, StringComparison.Ordinal) && stream[^(label.Length + 1)] == '_')
            {
                return stream[..^(label.Length + 1)];
            }
        }
        return stream;
    }
}
