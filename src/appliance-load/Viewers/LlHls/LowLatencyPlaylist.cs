using System.Buffers.Text;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.LlHls;

/// <summary>A part an LL-HLS playlist lists: its segment, its place in it, and where its URI is in the playlist's bytes.</summary>
internal readonly record struct PlaylistPart(long Msn, int Index, double DurationMs, bool Independent, int UriStart, int UriLength);

/// <summary>
/// An LL-HLS media playlist (RFC 8216bis), received into its own reused buffer and read without
/// allocating: what a player needs to follow the live edge part by part. The parts of a segment
/// are numbered by their order under it (as _HLS_part counts them); the preload hint is the next
/// part of the open segment, the one after the last EXTINF. URIs stay bytes of the playlist, so
/// read them before the buffer is reused.
/// </summary>
internal sealed class LowLatencyPlaylist : ReusableBody
{
    private readonly List<PlaylistPart> _parts = [];
    private int _hintStart;
    private int _hintLength;
    private int _mapStart;
    private int _mapLength;

    public double TargetDurationMs { get; private set; }

    public double PartTargetMs { get; private set; }

    public long MediaSequence { get; private set; }

    public int CompleteSegments { get; private set; }

    public bool Ended { get; private set; }

    public bool CanBlockReload { get; private set; }

    /// <summary>The newest complete segment; MediaSequence - 1 when none is listed.</summary>
    public long LastComplete => MediaSequence + CompleteSegments - 1;

    /// <summary>The segment in progress, whose parts follow the last EXTINF.</summary>
    public long OpenMsn => MediaSequence + CompleteSegments;

    /// <summary>Parts listed, oldest first (only those near the live edge are listed).</summary>
    public IReadOnlyList<PlaylistPart> Parts => _parts;

    public bool HasHint => _hintLength > 0;

    /// <summary>The preload-hinted part's index in <see cref="OpenMsn"/>: the parts of the open segment listed.</summary>
    public int HintIndex { get; private set; }

    public ReadOnlySpan<byte> HintUri => Span.Slice(_hintStart, _hintLength);

    /// <summary>The last EXT-X-MAP URI (the init of the newest segments); empty if none.</summary>
    public ReadOnlySpan<byte> MapUri => Span.Slice(_mapStart, _mapLength);

    public ReadOnlySpan<byte> UriOf(in PlaylistPart part) => Span.Slice(part.UriStart, part.UriLength);

    /// <summary>Where part <paramref name="index"/> of segment <paramref name="msn"/> is in <see cref="Parts"/>; -1 if not listed.</summary>
    public int Find(long msn, int index)
    {
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            var part = _parts[i];
            if (part.Msn == msn && part.Index == index)
            {
                return i;
            }
            if (part.Msn < msn)
            {
                break;
            }
        }
        return -1;
    }

    /// <summary>Parts listed for segment <paramref name="msn"/>; 0 when none are.</summary>
    public int PartsOf(long msn)
    {
        var count = 0;
        foreach (var part in _parts)
        {
            count += part.Msn == msn ? 1 : 0;
        }
        return count;
    }

    /// <summary>Reads the bytes received; null when they are an LL-HLS media playlist, else what is wrong.</summary>
    public string? Parse()
    {
        _parts.Clear();
        (_hintStart, _hintLength, _mapStart, _mapLength) = (0, 0, 0, 0);
        (TargetDurationMs, PartTargetMs, MediaSequence, CompleteSegments, Ended, CanBlockReload, HintIndex) = (0, 0, 0, 0, false, false, 0);
        var text = Span;
        var position = 0;
        var first = true;
        var sawExtinf = false;
        var openParts = 0;
        while (position < text.Length)
        {
            var newline = text[position..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? text.Length : position + newline;
            var start = position;
            position = lineEnd + 1;
            var line = text[start..lineEnd].TrimEnd("\r \t"u8);
            if (first)
            {
                if (!line.SequenceEqual("#EXTM3U"u8))
                {
                    return "does not start with #EXTM3U";
                }
                first = false;
                continue;
            }
            if (line.IsEmpty)
            {
                continue;
            }
            if (line[0] != '#')
            {
                if (!sawExtinf)
                {
                    return "a URI line without #EXTINF before it";
                }
                sawExtinf = false;
                CompleteSegments++;
                openParts = 0;
            }
            else if (line.StartsWith("#EXTINF:"u8))
            {
                sawExtinf = true;
            }
            else if (line.StartsWith("#EXT-X-PART:"u8))
            {
                if (!TryAttribute(line, "DURATION="u8, out var duration) || !Utf8Parser.TryParse(duration, out double seconds, out var used) || used != duration.Length || seconds < 0
                    || !TryQuoted(line, "URI="u8, out var uriOffset, out var uriLength))
                {
                    return $"a bad #EXT-X-PART: {Text(line)}";
                }
                var independent = TryAttribute(line, "INDEPENDENT="u8, out var flag) && flag.SequenceEqual("YES"u8);
                _parts.Add(new PlaylistPart(OpenMsn, openParts++, seconds * 1000, independent, start + uriOffset, uriLength));
            }
            else if (line.StartsWith("#EXT-X-PRELOAD-HINT:"u8))
            {
                if (TryAttribute(line, "TYPE="u8, out var type) && type.SequenceEqual("PART"u8))
                {
                    if (!TryQuoted(line, "URI="u8, out var uriOffset, out _hintLength))
                    {
                        return $"a bad #EXT-X-PRELOAD-HINT: {Text(line)}";
                    }
                    _hintStart = start + uriOffset;
                }
            }
            else if (line.StartsWith("#EXT-X-MAP:"u8))
            {
                if (!TryQuoted(line, "URI="u8, out var uriOffset, out _mapLength))
                {
                    return $"a bad #EXT-X-MAP: {Text(line)}";
                }
                _mapStart = start + uriOffset;
            }
            else if (line.StartsWith("#EXT-X-TARGETDURATION:"u8))
            {
                if (!Utf8Parser.TryParse(line["#EXT-X-TARGETDURATION:".Length..], out long seconds, out var used) || used != line.Length - "#EXT-X-TARGETDURATION:".Length || seconds <= 0)
                {
                    return $"a bad #EXT-X-TARGETDURATION: {Text(line)}";
                }
                TargetDurationMs = seconds * 1000.0;
            }
            else if (line.StartsWith("#EXT-X-PART-INF:"u8))
            {
                if (!TryAttribute(line, "PART-TARGET="u8, out var value) || !Utf8Parser.TryParse(value, out double seconds, out var used) || used != value.Length || seconds <= 0)
                {
                    return $"a bad #EXT-X-PART-INF: {Text(line)}";
                }
                PartTargetMs = seconds * 1000;
            }
            else if (line.StartsWith("#EXT-X-SERVER-CONTROL:"u8))
            {
                CanBlockReload = TryAttribute(line, "CAN-BLOCK-RELOAD="u8, out var value) && value.SequenceEqual("YES"u8);
            }
            else if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:"u8))
            {
                if (CompleteSegments > 0 || _parts.Count > 0
                    || !Utf8Parser.TryParse(line["#EXT-X-MEDIA-SEQUENCE:".Length..], out long sequence, out var used) || used != line.Length - "#EXT-X-MEDIA-SEQUENCE:".Length || sequence < 0)
                {
                    return $"a bad or late #EXT-X-MEDIA-SEQUENCE: {Text(line)}";
                }
                MediaSequence = sequence;
            }
            else if (line.StartsWith("#EXT-X-SKIP:"u8))
            {
                if (!TryAttribute(line, "SKIPPED-SEGMENTS="u8, out var value) || !Utf8Parser.TryParse(value, out int skipped, out var used) || used != value.Length || skipped < 0)
                {
                    return $"a bad #EXT-X-SKIP: {Text(line)}";
                }
                CompleteSegments += skipped;
            }
            else if (line.SequenceEqual("#EXT-X-ENDLIST"u8))
            {
                Ended = true;
            }
            else if (line.StartsWith("#EXT-X-STREAM-INF:"u8))
            {
                return "a multivariant playlist where a media playlist was expected";
            }
        }
        if (first)
        {
            return "does not start with #EXTM3U";
        }
        if (TargetDurationMs <= 0)
        {
            return "no #EXT-X-TARGETDURATION";
        }
        if (PartTargetMs <= 0)
        {
            return "not a low-latency playlist (no #EXT-X-PART-INF)";
        }
        HintIndex = openParts;
        return null;
    }

    /// <summary>The value of an unquoted attribute (up to the next comma) of a tag line.</summary>
    internal static bool TryAttribute(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        var at = AttributeStart(line, name);
        if (at < 0)
        {
            return false;
        }
        var rest = line[at..];
        var comma = rest.IndexOf((byte)',');
        value = comma < 0 ? rest : rest[..comma];
        return true;
    }

    /// <summary>Where the quoted value of attribute <paramref name="name"/> is in <paramref name="line"/>.</summary>
    internal static bool TryQuoted(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name, out int offset, out int length)
    {
        offset = length = 0;
        var at = AttributeStart(line, name);
        if (at < 0 || at >= line.Length || line[at] != '"')
        {
            return false;
        }
        var close = line[(at + 1)..].IndexOf((byte)'"');
        if (close <= 0)
        {
            return false;
        }
        offset = at + 1;
        length = close;
        return true;
    }

    // The attribute must start the list (after the colon) or follow a comma outside quotes.
    private static int AttributeStart(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name)
    {
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            return -1;
        }
        var quoted = false;
        for (var i = colon + 1; i < line.Length; i++)
        {
            if ((i == colon + 1 || (!quoted && line[i - 1] == ',')) && line[i..].StartsWith(name))
            {
                return i + name.Length;
            }
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
        }
        return -1;
    }

    private static string Text(ReadOnlySpan<byte> line) =>
        System.Text.Encoding.UTF8.GetString(line.Length > 120 ? line[..120] : line);
}
