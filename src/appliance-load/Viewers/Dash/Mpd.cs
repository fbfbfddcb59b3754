using System.Buffers.Text;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Dash;

/// <summary>
/// A DASH MPD received into its own reused buffer and read without an XML library (a player
/// reloads a low-latency MPD several times a second): the start tags of MPD, Period, AdaptationSet,
/// Representation, SegmentTemplate and S, their attributes, and end tags to know what encloses
/// what. Comments, processing instructions and declarations are skipped; entities in the template
/// attributes are decoded in place. Only the last Period is kept.
/// </summary>
internal sealed partial class Mpd : ReusableBody
{
    private readonly List<MpdTrack> _tracks = [];
    private int _trackCount;

    /// <summary>type="dynamic": a live stream whose MPD changes.</summary>
    public bool Dynamic { get; private set; }

    /// <summary>How often a player must reload it; -1 if not said.</summary>
    public double MinimumUpdatePeriodMs { get; private set; }

    /// <summary>How far behind the live edge a player should play; -1 if not said.</summary>
    public double SuggestedPresentationDelayMs { get; private set; }

    /// <summary>The longest segment (the target duration); -1 if not said.</summary>
    public double MaxSegmentDurationMs { get; private set; }

    public int Periods { get; private set; }

    /// <summary>The AdaptationSets of the last Period with a SegmentTemplate.</summary>
    public IEnumerable<MpdTrack> Tracks => _tracks.Take(_trackCount).Where(t => t.HasTemplate);

    /// <summary>Some track announces the segment being made (LL-DASH).</summary>
    public bool LowLatency => Tracks.Any(t => !t.AvailabilityTimeComplete);

    /// <summary>The first track of <paramref name="content"/> with a template, or null.</summary>
    public MpdTrack? Track(MpdContent content)
    {
        for (var i = 0; i < _trackCount; i++)
        {
            if (_tracks[i].Content == content && _tracks[i].HasTemplate)
            {
                return _tracks[i];
            }
        }
        return null;
    }

    public ReadOnlySpan<byte> InitOf(MpdTrack track) => Span.Slice(track.InitStart, track.InitLength);

    public ReadOnlySpan<byte> MediaOf(MpdTrack track) => Span.Slice(track.MediaStart, track.MediaLength);

    /// <summary>Reads the bytes received; null when they are an MPD this player can follow, else what is wrong.</summary>
    public string? Parse()
    {
        (Dynamic, MinimumUpdatePeriodMs, SuggestedPresentationDelayMs, MaxSegmentDurationMs, Periods, _trackCount) = (false, -1, -1, -1, 0, 0);
        var text = Writable;
        var sawMpd = false;
        MpdTrack? set = null;
        var inTemplate = false;
        var position = 0;
        while (position < text.Length)
        {
            var open = text[position..].IndexOf((byte)'<');
            if (open < 0)
            {
                break;
            }
            position += open;
            var rest = text[position..];
            if (rest.StartsWith("<!--"u8) || rest.StartsWith("<?"u8) || rest.StartsWith("<!"u8))
            {
                var close = rest.StartsWith("<!--"u8) ? "-->"u8 : rest.StartsWith("<?"u8) ? "?>"u8 : ">"u8;
                var end = rest.IndexOf(close);
                if (end < 0)
                {
                    return "a comment or declaration that does not end";
                }
                position += end + close.Length;
                continue;
            }
            var endTag = rest.Length > 1 && rest[1] == '/';
            var nameStart = position + (endTag ? 2 : 1);
            var nameEnd = nameStart;
            while (nameEnd < text.Length && !IsSpace(text[nameEnd]) && text[nameEnd] is not ((byte)'>' or (byte)'/'))
            {
                nameEnd++;
            }
            var element = Local(text[nameStart..nameEnd]);
            if (endTag)
            {
                var close = text[nameEnd..].IndexOf((byte)'>');
                if (close < 0)
                {
                    return "an end tag that does not end";
                }
                position = nameEnd + close + 1;
                if (element.SequenceEqual("AdaptationSet"u8))
                {
                    set = null;
                }
                else if (element.SequenceEqual("SegmentTemplate"u8))
                {
                    inTemplate = false;
                }
                continue;
            }
            var kind = Kind(element);
            if (kind == Element.Mpd)
            {
                sawMpd = true;
            }
            else if (kind == Element.Period)
            {
                Periods++;
                _trackCount = 0;
                set = null;
            }
            else if (kind == Element.AdaptationSet)
            {
                set = NextTrack();
            }
            else if (kind == Element.SegmentTemplate)
            {
                // The first template of the set (on it, or on its first Representation) is the one played.
                kind = set is { HasTemplate: false } ? Element.SegmentTemplate : Element.Other;
                if (set is not null && kind == Element.SegmentTemplate)
                {
                    set.HasTemplate = true;
                }
            }
            else if (kind == Element.S && !(inTemplate && set is not null))
            {
                kind = Element.Other;
            }
            if (ReadAttributes(text, nameEnd, kind, set, out position, out var selfClosing, out var timeline) is { } problem)
            {
                return problem;
            }
            if (kind == Element.S)
            {
                set!.Add(timeline.Start, timeline.Duration, timeline.Repeat);
            }
            if (kind == Element.SegmentTemplate && !selfClosing)
            {
                inTemplate = true;
            }
            if (kind == Element.AdaptationSet && selfClosing)
            {
                set = null;
            }
        }
        if (!sawMpd)
        {
            return "no MPD element";
        }
        foreach (var track in Tracks)
        {
            if (track.MediaLength == 0)
            {
                return "a SegmentTemplate without a media attribute";
            }
        }
        return null;
    }

    private MpdTrack NextTrack()
    {
        if (_trackCount == _tracks.Count)
        {
            _tracks.Add(new MpdTrack());
        }
        var track = _tracks[_trackCount++];
        track.Reset();
        return track;
    }

    private static ReadOnlySpan<byte> Local(ReadOnlySpan<byte> name) =>
        name.IndexOf((byte)':') is var colon and >= 0 ? name[(colon + 1)..] : name;

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
