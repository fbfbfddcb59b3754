namespace Appliance.Streaming.Renditions;

/// <summary>
/// A group's renditions at one instant, each checked against the top one (the first the rule
/// names that is published), and the ones a player can switch between, lowest bandwidth first:
/// hls.js starts on the first variant listed when it has no estimate of its own, and raises its
/// first estimate to the first variant's bandwidth; from the lowest, it starts without a stall on
/// any link and moves up after its first segments (dash.js sorts by bandwidth itself).
/// </summary>
public sealed class RenditionGroup
{
    private RenditionGroup(IReadOnlyList<RenditionEntry> entries, IReadOnlyList<Rendition> listed)
    {
        Entries = entries;
        Listed = listed;
    }

    /// <summary>Every rendition in the rule's order, the top first, with its state.</summary>
    public IReadOnlyList<RenditionEntry> Entries { get; }

    /// <summary>The top and the renditions aligned with it, by bandwidth, lowest first.</summary>
    public IReadOnlyList<Rendition> Listed { get; }

    public Rendition? Top => Entries.Count > 0 ? Entries[0].Rendition : null;

    /// <summary>Checks <paramref name="members"/> (the rule's order; the first is the top) against the top.</summary>
    public static RenditionGroup Evaluate(IReadOnlyList<Rendition> members)
    {
        var entries = new List<RenditionEntry>(members.Count);
        var listed = new List<Rendition>(members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var entry = i == 0
                ? new RenditionEntry(member, RenditionState.Top)
                : Check(members[0], member);
            entries.Add(entry);
            if (entry.Listed)
            {
                listed.Add(member);
            }
        }
        listed.Sort(static (a, b) => a.PeakBitsPerSecond != b.PeakBitsPerSecond
            ? a.PeakBitsPerSecond.CompareTo(b.PeakBitsPerSecond)
            : string.CompareOrdinal(a.Name, b.Name));
        return new RenditionGroup(entries, listed);
    }

    private static RenditionEntry Check(Rendition top, Rendition member)
    {
        var (state, detail) = RenditionAlignment.Check(top.Boundaries, member.Boundaries);
        return new RenditionEntry(member, state, detail);
    }
}
