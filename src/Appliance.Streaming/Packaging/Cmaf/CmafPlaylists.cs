using Appliance.Codecs.Hls;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// A track's HLS media playlists, built from its window and segment in progress: the plain one
/// (fMP4 HLS, rebuilt when a segment completes) and the low-latency one (rebuilt with each part).
/// They list the same segments; only the low-latency one has parts, the preload hint and the
/// other track's rendition report.
/// </summary>
internal static class CmafPlaylists
{
    public static HlsMediaSegment[] Listed(CmafWindow window)
    {
        var segments = window.Segments;
        var first = window.FirstListedIndex;
        var listed = new HlsMediaSegment[segments.Length - first];
        for (var i = 0; i < listed.Length; i++)
        {
            listed[i] = segments[first + i].Hls;
        }
        return listed;
    }

    public static HlsMediaPlaylist Plain(CmafWindow window, HlsMediaSegment[] listed, long targetMs, bool ended) =>
        new(targetMs, 0, listed) { DiscontinuitySequence = window.DiscontinuitySequence, Ended = ended };

    /// <param name="next">What the open segment is when none is in progress: its number, whether a discontinuity comes first.</param>
    /// <param name="other">The other track, for EXT-X-RENDITION-REPORT; null when there is none.</param>
    public static HlsMediaPlaylist LowLatency(CmafTrack track, HlsMediaSegment[] listed, long targetMs, long partTargetMs,
        (long Number, bool Discontinuity) next, CmafTrack? other, long nowMs, bool ended)
    {
        HlsOpenSegment? open = null;
        if (!ended && track.IsOpen)
        {
            var parts = new HlsPartialSegment[track.Parts.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = track.Parts[i].Hls;
            }
            open = new HlsOpenSegment(track.Number, ProgramDateTime(track.Epoch!, track.StartMs), track.SegmentInit!.Name,
                CmafName.PartFile(track.Kind, track.Number, parts.Length))
            {
                Discontinuity = track.Discontinuity,
                Parts = parts,
            };
        }
        else if (!ended && track.Init is { } init)
        {
            // Between segments (a break waits for its keyframe): the hint names the next segment's first part.
            var segments = track.Window.Segments;
            var at = segments.Length > 0 ? segments[^1].ProgramDateTime.AddMilliseconds(segments[^1].DurationMs) : DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
            open = new HlsOpenSegment(next.Number, at, init.Name, CmafName.PartFile(track.Kind, next.Number, 0)) { Discontinuity = next.Discontinuity };
        }
        HlsRenditionReport[] reports = [];
        if (other is not null && LastPart(other) is { Msn: >= 0 } last)
        {
            reports = [new HlsRenditionReport(CmafName.Playlist(other.Kind, lowLatency: true), last.Msn, last.Part)];
        }
        return new HlsMediaPlaylist(targetMs, partTargetMs, listed)
        {
            DiscontinuitySequence = track.Window.DiscontinuitySequence,
            Open = open,
            RenditionReports = reports,
            Ended = ended,
        };
    }

    /// <summary>The newest part of a track: in the segment in progress, else the last of the newest complete segment; (-1, -1) before any.</summary>
    public static (long Msn, int Part) LastPart(CmafTrack track)
    {
        if (track.IsOpen && track.Parts.Count > 0)
        {
            return (track.Number, track.Parts.Count - 1);
        }
        var segments = track.Window.Segments;
        return segments.Length > 0 ? (segments[^1].Number, segments[^1].Parts.Length - 1) : (-1, -1);
    }

    public static DateTimeOffset ProgramDateTime(CmafEpoch epoch, long atMs) => DateTimeOffset.FromUnixTimeMilliseconds(epoch.WallClockAtZeroMs + atMs);
}
