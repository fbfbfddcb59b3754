using Appliance.Codecs.Dash;

namespace Appliance.Streaming.Renditions;

/// <summary>
/// The MPD of a group (/{app}/{group}.mpd): the top rendition's MPD, its current period's video
/// AdaptationSet holding one Representation per listed rendition (lowest bandwidth first, id = the
/// rendition's stream name), each with its own SegmentTemplate pointing at that rendition's
/// segments ({name}/video-$Number$.m4s, beside the group's MPD, as its own MPD names them), and
/// the top rendition's audio, shared. Every template carries its rendition's query (session token).
/// </summary>
public static class GroupManifest
{
    /// <summary>Null when the top rendition has no MPD yet.</summary>
    public static DashManifest? Build(IReadOnlyList<Rendition> listed, Rendition top, Func<Rendition, string?> query)
    {
        if (top.Dash is not { Periods.Count: > 0 } manifest)
        {
            return null;
        }
        var periods = new List<DashPeriod>(manifest.Periods.Count);
        for (var p = 0; p < manifest.Periods.Count; p++)
        {
            var period = manifest.Periods[p];
            var current = p == manifest.Periods.Count - 1;
            var sets = new List<DashAdaptationSet>(period.AdaptationSets.Count);
            foreach (var set in period.AdaptationSets)
            {
                if (set.ContentType != DashContentType.Video || set.Representations.Count == 0)
                {
                    sets.Add(set with { Representations = [.. set.Representations.Select(r => WithQuery(r, r.Id, query(top)))] });
                    continue;
                }
                var own = set.Representations[0];
                if (!current)
                {
                    // An earlier timeline (before a break): only the top rendition's segments of it are known to line up.
                    sets.Add(set with { Representations = [WithQuery(own, top.Name, query(top))] });
                    continue;
                }
                var representations = new List<DashRepresentation>(listed.Count);
                foreach (var rendition in listed)
                {
                    var representation = ReferenceEquals(rendition, top) ? own : CurrentVideo(rendition);
                    if (representation is not null)
                    {
                        representations.Add(WithQuery(OnTimeline(representation, own.SegmentTemplate), rendition.Name, query(rendition)));
                    }
                }
                sets.Add(set with { Representations = representations });
            }
            periods.Add(period with { AdaptationSets = sets });
        }
        return manifest with { Periods = periods };
    }

    /// <summary>A rendition's video Representation of its current period, or null.</summary>
    private static DashRepresentation? CurrentVideo(Rendition rendition)
    {
        if (rendition.Dash is not { Periods.Count: > 0 } manifest)
        {
            return null;
        }
        foreach (var set in manifest.Periods[^1].AdaptationSets)
        {
            if (set.ContentType == DashContentType.Video && set.Representations.Count > 0)
            {
                return set.Representations[0];
            }
        }
        return null;
    }

    /// <summary>
    /// A rendition's Representation on the top's period: the top's presentationTimeOffset (the
    /// renditions share the media timeline, as their aligned segments show), and only its segments
    /// from the period's start on.
    /// </summary>
    private static DashRepresentation OnTimeline(DashRepresentation representation, DashSegmentTemplate top)
    {
        var template = representation.SegmentTemplate;
        if (template.PresentationTimeOffset == top.PresentationTimeOffset || template.Timescale != top.Timescale)
        {
            return representation;
        }
        var timeline = template.Timeline;
        var skipped = 0;
        while (skipped < timeline.Count && timeline[skipped].Start < top.PresentationTimeOffset)
        {
            skipped++;
        }
        return representation with
        {
            SegmentTemplate = template with
            {
                PresentationTimeOffset = top.PresentationTimeOffset,
                StartNumber = template.StartNumber + skipped,
                Timeline = [.. timeline.Skip(skipped)],
            },
        };
    }

    private static DashRepresentation WithQuery(DashRepresentation representation, string id, string? query)
    {
        // A template reads a lone '$' as the start of an identifier.
        query = query?.Replace("$", "$$", StringComparison.Ordinal);
        var template = representation.SegmentTemplate;
        return representation with
        {
            Id = id,
            SegmentTemplate = template with
            {
                Initialization = GroupPlaylists.WithQuery(template.Initialization, query),
                Media = GroupPlaylists.WithQuery(template.Media, query),
            },
        };
    }
}
