using System.Globalization;
using System.Text;

namespace Appliance.Load.Viewers.Hls;

/// <summary>A segment a media playlist lists: its media sequence number, EXTINF and URI as written.</summary>
internal readonly record struct PlaylistSegment(long Sequence, double DurationMs, string Uri);

/// <summary>
/// The part of an RFC 8216 media playlist a player needs to follow a live stream: the target
/// duration, the media sequence number of the first segment, each segment's duration and URI, and
/// whether it ended. Every other tag is skipped.
/// </summary>
internal sealed class MediaPlaylist
{
    private MediaPlaylist(double targetDurationMs, long mediaSequence, bool ended, List<PlaylistSegment> segments)
    {
        TargetDurationMs = targetDurationMs;
        MediaSequence = mediaSequence;
        Ended = ended;
        Segments = segments;
    }

    public double TargetDurationMs { get; }

    public long MediaSequence { get; }

    /// <summary>#EXT-X-ENDLIST: no segment will be added.</summary>
    public bool Ended { get; }

    public List<PlaylistSegment> Segments { get; }

    /// <summary>The sequence number the next new segment will have.</summary>
    public long NextSequence => MediaSequence + Segments.Count;

    public static bool TryParse(ReadOnlySpan<byte> bytes, out MediaPlaylist playlist, out string problem)
    {
        playlist = null!;
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.AsSpan().EnumerateLines();
        if (!lines.MoveNext() || !lines.Current.TrimEnd().SequenceEqual("#EXTM3U"))
        {
            problem = "does not start with #EXTM3U";
            return false;
        }
        double targetMs = -1;
        long mediaSequence = 0;
        var ended = false;
        double pendingMs = -1;
        var segments = new List<PlaylistSegment>(8);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.IsEmpty)
            {
                continue;
            }
            if (line[0] != '#')
            {
                if (pendingMs < 0)
                {
                    problem = "a URI line without #EXTINF before it";
                    return false;
                }
                segments.Add(new PlaylistSegment(mediaSequence + segments.Count, pendingMs, line.ToString()));
                pendingMs = -1;
            }
            else if (TryTag(line, "#EXTINF:", out var value))
            {
                var comma = value.IndexOf(',');
                if (!TryNumber(comma < 0 ? value : value[..comma], out var seconds) || seconds < 0)
                {
                    problem = $"a bad #EXTINF: {line}";
                    return false;
                }
                pendingMs = seconds * 1000;
            }
            else if (TryTag(line, "#EXT-X-TARGETDURATION:", out value))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                {
                    problem = $"a bad #EXT-X-TARGETDURATION: {line}";
                    return false;
                }
                targetMs = seconds * 1000.0;
            }
            else if (TryTag(line, "#EXT-X-MEDIA-SEQUENCE:", out value))
            {
                if (segments.Count > 0 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out mediaSequence))
                {
                    problem = $"a bad or late #EXT-X-MEDIA-SEQUENCE: {line}";
                    return false;
                }
            }
            else if (line.SequenceEqual("#EXT-X-ENDLIST"))
            {
                ended = true;
            }
            else if (TryTag(line, "#EXT-X-STREAM-INF:", out _))
            {
                problem = "a multivariant (master) playlist; give the URL of a media playlist";
                return false;
            }
        }
        if (targetMs <= 0)
        {
            problem = "no #EXT-X-TARGETDURATION";
            return false;
        }
        playlist = new MediaPlaylist(targetMs, mediaSequence, ended, segments);
        problem = "";
        return true;
    }

    private static bool TryTag(ReadOnlySpan<char> line, string tag, out ReadOnlySpan<char> value)
    {
        if (line.StartsWith(tag, StringComparison.Ordinal))
        {
            value = line[tag.Length..];
            return true;
        }
        value = default;
        return false;
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}
