using System.Globalization;
using System.Text;

namespace Appliance.Streaming.Packaging.Hls;

/// <summary>Writes a live media playlist (RFC 8216) for the segments a window lists.</summary>
public static class HlsPlaylistWriter
{
    private const string KeyTag = "#EXT-X-KEY:";

    /// <param name="keyRotation">Segments per AES-128 key (see <see cref="HlsKeyring"/>), or 0 for clear segments.</param>
    public static byte[] Write(ReadOnlySpan<HlsSegment> listed, string segmentPrefix, long targetDurationMs, long discontinuitySequence, bool ended, int keyRotation = 0)
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
            if (keyRotation > 0)
            {
                AppendKey(text, listed, i, segmentPrefix, keyRotation);
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

    /// <summary>
    /// EXT-X-KEY where the key changes: at the top of the window and at each rotation. The IV is the
    /// segment's media sequence number, which RFC 8216 implies when IV= is absent; should a number
    /// ever not follow its position, the IV is written out for that segment (and the key repeated).
    /// </summary>
    private static void AppendKey(StringBuilder text, ReadOnlySpan<HlsSegment> listed, int i, string segmentPrefix, int keyRotation)
    {
        var sequence = listed[i].Sequence;
        var keyIndex = HlsKeyring.KeyIndexOf(sequence, keyRotation);
        var implied = sequence == listed[0].Sequence + i;
        var previousImplied = i > 0 && listed[i - 1].Sequence == listed[0].Sequence + i - 1;
        if (i > 0 && implied && previousImplied && keyIndex == HlsKeyring.KeyIndexOf(listed[i - 1].Sequence, keyRotation))
        {
            return;
        }
        text.Append(KeyTag).Append("METHOD=AES-128,URI=\"").Append(segmentPrefix).Append(HlsKeyring.KeyFile(keyIndex)).Append('"');
        if (!implied)
        {
            text.Append(",IV=0x").Append(sequence.ToString("x32", CultureInfo.InvariantCulture));
        }
        text.Append('\n');
    }

    /// <summary>The playlist with <paramref name="query"/> appended to every URI line and key URI (for per-player session tokens).</summary>
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
            if (line[0] != '#')
            {
                output.Append(line).Append(line.Contains('?') ? '&' : '?').Append(query);
            }
            else if (line.StartsWith(KeyTag) && line.IndexOf("URI=\"") is var uri and >= 0 &&
                line[(uri + 5)..].IndexOf('"') is var length and >= 0)
            {
                // The key is fetched with what the segments carry, so it takes the token too.
                var end = uri + 5 + length;
                output.Append(line[..end]).Append(line[(uri + 5)..end].Contains('?') ? '&' : '?').Append(query).Append(line[end..]);
            }
            else
            {
                output.Append(line);
            }
            output.Append('\n');
        }
        return Encoding.UTF8.GetBytes(output.ToString());
    }
}
