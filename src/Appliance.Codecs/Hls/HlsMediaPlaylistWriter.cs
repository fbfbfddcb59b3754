using System.Buffers;
using Appliance.Codecs.Text;

namespace Appliance.Codecs.Hls;

/// <summary>
/// Writes a CMAF media playlist (RFC 8216bis), plain or low-latency, with the session's query on
/// every URI. Writing allocates nothing, so a playlist can be written per request into a pooled
/// buffer from the one <see cref="HlsMediaPlaylist"/> built when a part completes.
/// </summary>
public static class HlsMediaPlaylistWriter
{
    // EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY needs 6; EXT-X-SKIP needs 9. A low-latency
    // playlist says 9 whether or not this response skips, so the version never changes under a player.
    private const int PlainVersion = 6;
    private const int LowLatencyVersion = 9;

    // Parts are listed for segments ending within this many target durations of the live edge
    // (8216bis 4.4.4.9: parts further back than three target durations may be removed).
    private const int PartWindowTargets = 3;

    // CAN-SKIP-UNTIL, the skip boundary, must be at least six target durations.
    private const int SkipBoundaryTargets = 6;

    // PART-HOLD-BACK must be at least two part targets and should be three.
    private const int PartHoldBackParts = 3;

    public static byte[] Write(HlsMediaPlaylist playlist, HlsSkip skip = HlsSkip.None, string? querySuffix = null)
    {
        var output = new ArrayBufferWriter<byte>(256 + playlist.Segments.Count * 160);
        Write(playlist, skip, querySuffix, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes the playlist; <paramref name="skip"/> asks for a delta update, which a low-latency
    /// playlist answers by replacing the segments that end a skip boundary or more before the live
    /// edge with EXT-X-SKIP (a plain playlist, or one with nothing to skip, is written whole).
    /// </summary>
    public static void Write(HlsMediaPlaylist playlist, HlsSkip skip, string? querySuffix, IBufferWriter<byte> output)
    {
        var text = new Utf8Output(output);
        var segments = playlist.Segments;
        var lowLatency = playlist.IsLowLatency;
        var open = lowLatency && !playlist.Ended ? playlist.Open : null;
        var targetMs = TargetDurationSeconds(playlist) * 1000;

        text.Append("#EXTM3U\n#EXT-X-VERSION:"u8);
        text.Append(lowLatency ? LowLatencyVersion : PlainVersion);
        text.Append("\n#EXT-X-TARGETDURATION:"u8);
        text.Append(targetMs / 1000);
        text.Append('\n');
        if (lowLatency)
        {
            text.Append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK="u8);
            text.AppendThousandths(PartHoldBackParts * playlist.PartTargetMs);
            text.Append(",CAN-SKIP-UNTIL="u8);
            text.AppendThousandths(SkipBoundaryTargets * targetMs);
            text.Append("\n#EXT-X-PART-INF:PART-TARGET="u8);
            text.AppendThousandths(playlist.PartTargetMs);
            text.Append('\n');
        }
        text.Append("#EXT-X-MEDIA-SEQUENCE:"u8);
        text.Append(segments.Count > 0 ? segments[0].Number : open?.Number ?? 0);
        text.Append('\n');
        if (playlist.DiscontinuitySequence > 0)
        {
            text.Append("#EXT-X-DISCONTINUITY-SEQUENCE:"u8);
            text.Append(playlist.DiscontinuitySequence);
            text.Append('\n');
        }

        // Distances are measured back from the live edge: the end of the last part written.
        var edgeMs = SumParts(open?.Parts);
        for (var i = 0; i < segments.Count; i++)
        {
            edgeMs += segments[i].DurationMs;
        }
        var skipped = lowLatency && skip != HlsSkip.None ? CountSkipped(segments, edgeMs, SkipBoundaryTargets * targetMs) : 0;
        if (skipped > 0)
        {
            text.Append("#EXT-X-SKIP:SKIPPED-SEGMENTS="u8);
            text.Append(skipped);
            if (skip == HlsSkip.V2)
            {
                // Required when the player asked for v2; this playlist has no EXT-X-DATERANGE to remove.
                text.Append(",RECENTLY-REMOVED-DATERANGES=\"\""u8);
            }
            text.Append('\n');
        }

        string? map = null;
        long endMs = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            endMs += segment.DurationMs;
            if (i < skipped)
            {
                continue;
            }
            WriteSegmentTags(text, segment.Discontinuity, segment.MapUri, segment.ProgramDateTime, ref map, querySuffix);
            if (lowLatency && edgeMs - endMs < PartWindowTargets * targetMs)
            {
                WriteParts(text, segment.Parts, querySuffix);
            }
            text.Append("#EXTINF:"u8);
            text.AppendThousandths(segment.DurationMs);
            text.Append(",\n"u8);
            HlsText.AppendUri(text, segment.Uri, querySuffix);
            text.Append('\n');
        }
        if (open is not null)
        {
            WriteSegmentTags(text, open.Discontinuity, open.MapUri, open.ProgramDateTime, ref map, querySuffix);
            WriteParts(text, open.Parts, querySuffix);
            text.Append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI="u8);
            HlsText.AppendQuotedUri(text, open.PreloadHintUri, querySuffix);
            text.Append('\n');
        }
        WriteRenditionReports(text, playlist.RenditionReports, querySuffix);
        if (playlist.Ended)
        {
            text.Append("#EXT-X-ENDLIST\n"u8);
        }
    }

    /// <summary>
    /// EXT-X-TARGETDURATION in seconds: the configured target, raised if a segment is longer
    /// (every EXTINF, rounded to the nearest integer, must not exceed it), at least 1.
    /// </summary>
    public static long TargetDurationSeconds(HlsMediaPlaylist playlist)
    {
        var longest = playlist.TargetDurationMs;
        for (var i = 0; i < playlist.Segments.Count; i++)
        {
            longest = Math.Max(longest, playlist.Segments[i].DurationMs);
        }
        return Math.Max(1, (longest + 500) / 1000);
    }

    private static void WriteSegmentTags(Utf8Output text, bool discontinuity, string mapUri, DateTimeOffset programDateTime, ref string? map, string? querySuffix)
    {
        if (discontinuity)
        {
            text.Append("#EXT-X-DISCONTINUITY\n"u8);
        }
        if (!string.Equals(map, mapUri, StringComparison.Ordinal))
        {
            text.Append("#EXT-X-MAP:URI="u8);
            HlsText.AppendQuotedUri(text, mapUri, querySuffix);
            text.Append('\n');
            map = mapUri;
        }
        text.Append("#EXT-X-PROGRAM-DATE-TIME:"u8);
        text.AppendUtc(programDateTime);
        text.Append('\n');
    }

    private static void WriteParts(Utf8Output text, IReadOnlyList<HlsPartialSegment> parts, string? querySuffix)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            text.Append("#EXT-X-PART:DURATION="u8);
            text.AppendThousandths(parts[i].DurationMs);
            text.Append(",URI="u8);
            HlsText.AppendQuotedUri(text, parts[i].Uri, querySuffix);
            if (parts[i].Independent)
            {
                text.Append(",INDEPENDENT=YES"u8);
            }
            text.Append('\n');
        }
    }

    private static void WriteRenditionReports(Utf8Output text, IReadOnlyList<HlsRenditionReport> reports, string? querySuffix)
    {
        for (var i = 0; i < reports.Count; i++)
        {
            text.Append("#EXT-X-RENDITION-REPORT:URI="u8);
            HlsText.AppendQuotedUri(text, reports[i].Uri, reports[i].WithoutQuery ? null : querySuffix);
            text.Append(",LAST-MSN="u8);
            text.Append(reports[i].LastMsn);
            text.Append(",LAST-PART="u8);
            text.Append(reports[i].LastPart);
            text.Append('\n');
        }
    }

    // The leading segments that end at least the skip boundary before the edge; never the last one
    // (it ends within one target of the edge and the boundary is six, but a delta update keeps a segment whatever the input).
    private static int CountSkipped(IReadOnlyList<HlsMediaSegment> segments, long edgeMs, long boundaryMs)
    {
        long endMs = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            endMs += segments[i].DurationMs;
            if (edgeMs - endMs < boundaryMs)
            {
                return i;
            }
        }
        return Math.Max(0, segments.Count - 1);
    }

    private static long SumParts(IReadOnlyList<HlsPartialSegment>? parts)
    {
        long sum = 0;
        for (var i = 0; parts is not null && i < parts.Count; i++)
        {
            sum += parts[i].DurationMs;
        }
        return sum;
    }
}
