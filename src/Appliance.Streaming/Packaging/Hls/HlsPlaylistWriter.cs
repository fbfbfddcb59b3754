using System.Globalization;
using System.Text;

namespace Appliance.Streaming.Packaging.Hls;

/// <summary>Writes a live media playlist (RFC 8216) for the segments a window lists.</summary>
public static class HlsPlaylistWriter
{
    public static byte[] Write(ReadOnlySpan<HlsSegment> listed, string segmentPrefix, long targetDurationMs, long discontinuitySequence, bool ended)
    {
        var text = new StringBuilder(128 + listed.Length * 96);
        text.Append("#EXTM3U\n#EXT-X-VERSION:3\n");
        // RFC 8216: every EXTINF, rounded to the nearest integer, must not exceed the target.
        var longest = targetDurationMs;
        foreach (var segment in listed)
        {
            longest = Math.Max(longest, segment.DurationMs);
        }
        text.Append("#EXT-X-TARGETDURATION:").Append(Math.Max(1, (longest + 500) / 1000)).Append('\n');
        text.Append("#EXT-X-MEDIA-SEQUENCE:").Append(listed.IsEmpty ? 0 : listed[0].Sequence).Append('\n');
        if (discontinuitySequence > 0)
        {
            text.Append("#EXT-X-DISCONTINUITY-SEQUENCE:").Append(discontinuitySequence).Append('\n');
        }
        for (var i = 0; i < listed.Length; i++)
        {
            var segment = listed[i];
            if (segment.Discontinuity)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }
            text.Append("#EXT-X-PROGRAM-DATE-TIME:")
                .Append(segment.ProgramDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('\n');
            text.Append("#EXTINF:").Append((segment.DurationMs / 1000.0).ToString("F3", CultureInfo.InvariantCulture)).Append(",\n");
            text.Append(segmentPrefix).Append(segment.Sequence).Append(".ts\n");
        }
        if (ended)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The playlist with <paramref name="query"/> appended to every URI line (for per-player session tokens).</summary>
    public static byte[] WithQuery(byte[] playlist, string query)
    {
        var text = Encoding.UTF8.GetString(playlist);
        var output = new StringBuilder(text.Length + 64 * 16);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                continue;
            }
            output.Append(line);
            if (line[0] != '#')
            {
                output.Append(line.Contains('?') ? '&' : '?').Append(query);
            }
            output.Append('\n');
        }
        return Encoding.UTF8.GetBytes(output.ToString());
    }
}
