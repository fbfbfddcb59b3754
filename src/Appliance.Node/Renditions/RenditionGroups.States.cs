using System.Collections.Concurrent;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Renditions;

/// <summary>One rendition of a group as last found, for status, /metrics and the LL-HLS rendition reports.</summary>
public sealed record RenditionStatus(StreamKey Group, string Rendition, string Top, RenditionPackaging Packaging, RenditionState State, string? Detail);

/// <summary>What the group's playlists last found of each rendition, the one log line when that changes, and the sweep.</summary>
public sealed partial class RenditionGroups
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(StreamKey Group, RenditionPackaging Packaging), Dictionary<string, Found>> _found = [];

    // The names each group lists, as last found: read without the lock by every LL-HLS playlist request.
    private readonly ConcurrentDictionary<(StreamKey Group, RenditionPackaging Packaging), string[]> _listed = new();

    /// <summary>What a check found of a rendition; whether the node has said it is misaligned (and not yet that it is aligned again).</summary>
    private sealed class Found(RenditionEntry entry)
    {
        public RenditionEntry Entry { get; set; } = entry;

        public bool Reported { get; set; }
    }

    /// <summary>
    /// Keeps what <paramref name="reading"/> found of <paramref name="group"/>'s renditions in one
    /// packaging; logs a rendition that became misaligned, and one aligned again after that. A
    /// rendition missing from the reading has left the group and is forgotten.
    /// </summary>
    public void Record(StreamKey group, RenditionPackaging packaging, RenditionGroup reading)
    {
        var top = reading.Top?.Name ?? "";
        var changes = new List<(RenditionEntry Entry, bool Misaligned)>();
        lock (_lock)
        {
            if (!_found.TryGetValue((group, packaging), out var found))
            {
                found = new Dictionary<string, Found>(StringComparer.Ordinal);
                _found[(group, packaging)] = found;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in reading.Entries)
            {
                var name = entry.Rendition.Name;
                seen.Add(name);
                if (!found.TryGetValue(name, out var known))
                {
                    known = new Found(entry);
                    found[name] = known;
                }
                known.Entry = entry;
                if (entry.State == RenditionState.Misaligned && !known.Reported)
                {
                    known.Reported = true;
                    changes.Add((entry, true));
                }
                else if (entry.Listed && known.Reported)
                {
                    known.Reported = false;
                    changes.Add((entry, false));
                }
            }
            foreach (var gone in found.Keys.Where(n => !seen.Contains(n)).ToList())
            {
                found.Remove(gone);
            }
            if (found.Count == 0)
            {
                _found.Remove((group, packaging));
                _listed.TryRemove((group, packaging), out _);
            }
            else
            {
                _listed[(group, packaging)] = [.. found.Values.Where(f => f.Entry.Listed).Select(f => f.Entry.Rendition.Name)];
            }
        }
        var where = packaging == RenditionPackaging.Hls ? "HLS segments" : "CMAF segments";
        foreach (var (entry, misaligned) in changes)
        {
            if (misaligned)
            {
                RenditionLog.Misaligned(logger, group.ToString(), entry.Rendition.Name, top, where, entry.Detail ?? "");
            }
            else
            {
                RenditionLog.Realigned(logger, group.ToString(), entry.Rendition.Name, top, where);
            }
        }
    }

    /// <summary>Whether the group's playlists of <paramref name="packaging"/> list <paramref name="rendition"/>, as last found.</summary>
    public bool IsListed(StreamKey group, RenditionPackaging packaging, string rendition) =>
        _listed.TryGetValue((group, packaging), out var listed) && Array.IndexOf(listed, rendition) >= 0;

    /// <summary>Every rendition of every group as last found, by group, packaging and the rule's order.</summary>
    public List<RenditionStatus> Snapshot()
    {
        var all = new List<RenditionStatus>();
        lock (_lock)
        {
            foreach (var ((group, packaging), found) in _found)
            {
                var top = found.Values.FirstOrDefault(f => f.Entry.State == RenditionState.Top)?.Entry.Rendition.Name ?? "";
                foreach (var known in found.Values)
                {
                    all.Add(new RenditionStatus(group, known.Entry.Rendition.Name, top, packaging, known.Entry.State, known.Entry.Detail));
                }
            }
        }
        all.Sort(static (a, b) => a.Group != b.Group ? string.CompareOrdinal(a.Group.ToString(), b.Group.ToString())
            : a.Packaging != b.Packaging ? a.Packaging.CompareTo(b.Packaging)
            : a.State == RenditionState.Top ? -1 : b.State == RenditionState.Top ? 1 : string.CompareOrdinal(a.Rendition, b.Rendition));
        return all;
    }

    /// <summary>
    /// Checks every group with at least two live renditions whose top rendition is packaged, in
    /// each packaging that runs, without counting as demand: the server's timer calls it, so a
    /// rendition that drifts out of alignment is reported even while no player asks for the group.
    /// What was found of groups with fewer renditions, or no packaging, is forgotten.
    /// </summary>
    public void Sweep(ApplianceConfig config)
    {
        try
        {
            SweepGroups(config);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // On the server's timer: a fault here must not take the node down, only this round.
            RenditionLog.SweepFailed(logger, ex);
        }
    }

    private void SweepGroups(ApplianceConfig config)
    {
        ForgetOld(Core.Time.MonotonicClock.NowMs);
        var groups = new Dictionary<StreamKey, AppConfig>();
        foreach (var domain in config.Domains)
        {
            foreach (var app in domain.Apps)
            {
                if (!RenditionRule.Applies(app))
                {
                    continue;
                }
                foreach (var stream in streams.Streams)
                {
                    if (stream.Key.Domain == domain.Name && stream.Key.App == app.Name && IsLive(stream) &&
                        RenditionRule.GroupOf(app, stream.Key.Name) is { } name)
                    {
                        groups.TryAdd(stream.Key with { Name = name }, app);
                    }
                }
            }
        }
        var checkedNow = new HashSet<(StreamKey, RenditionPackaging)>();
        foreach (var (group, app) in groups)
        {
            var members = Collect(group, app);
            if (members.Count < 2)
            {
                continue;
            }
            if (members[0].PackagedHlsWindow is not null)
            {
                checkedNow.Add((group, RenditionPackaging.Hls));
                Record(group, RenditionPackaging.Hls, RenditionGroup.Evaluate(
                    [.. members.Select(m => m.PackagedHlsWindow is { } window ? RenditionReader.FromHls(m, window) : new Rendition(m.Key))]));
            }
            if (members[0].PackagedCmaf is not null)
            {
                checkedNow.Add((group, RenditionPackaging.Cmaf));
                Record(group, RenditionPackaging.Cmaf, RenditionGroup.Evaluate(
                    [.. members.Select(m => m.PackagedCmaf is { } cmaf ? RenditionReader.FromCmaf(m, cmaf.Snapshot, lowLatency: false) : new Rendition(m.Key))]));
            }
        }
        lock (_lock)
        {
            // Groups gone, down to one rendition, or no longer packaged.
            foreach (var key in _found.Keys.Where(k => !checkedNow.Contains(k)).ToList())
            {
                _found.Remove(key);
                _listed.TryRemove(key, out _);
            }
        }
    }
}
