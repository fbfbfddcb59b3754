using System.Buffers.Text;

namespace Appliance.Load.Viewers.Dash;

/// <summary>The attributes of the elements a player reads, and the value types they have.</summary>
internal sealed partial class Mpd
{
    private enum Element
    {
        Other,
        Mpd,
        Period,
        AdaptationSet,
        Representation,
        SegmentTemplate,
        S,
    }

    private static Element Kind(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("MPD"u8) ? Element.Mpd
        : name.SequenceEqual("Period"u8) ? Element.Period
        : name.SequenceEqual("AdaptationSet"u8) ? Element.AdaptationSet
        : name.SequenceEqual("Representation"u8) ? Element.Representation
        : name.SequenceEqual("SegmentTemplate"u8) ? Element.SegmentTemplate
        : name.SequenceEqual("S"u8) ? Element.S
        : Element.Other;

    /// <summary>Reads a start tag's attributes from <paramref name="at"/> to its '>'; null when well-formed, else what is wrong.</summary>
    private string? ReadAttributes(Span<byte> text, int at, Element element, MpdTrack? set, out int end, out bool selfClosing, out MpdTimelineEntry s)
    {
        s = new MpdTimelineEntry(-1, -1, 0);
        selfClosing = false;
        end = at;
        while (true)
        {
            while (at < text.Length && IsSpace(text[at]))
            {
                at++;
            }
            if (at >= text.Length)
            {
                return "a start tag that does not end";
            }
            if (text[at] == '>' || (text[at] == '/' && at + 1 < text.Length && text[at + 1] == '>'))
            {
                selfClosing = text[at] == '/';
                end = at + (selfClosing ? 2 : 1);
                if (element == Element.S && s.Duration < 0)
                {
                    return "an S element without d";
                }
                return null;
            }
            var nameStart = at;
            while (at < text.Length && text[at] != '=' && !IsSpace(text[at]) && text[at] != '>')
            {
                at++;
            }
            var name = Local(text[nameStart..at]);
            while (at < text.Length && IsSpace(text[at]))
            {
                at++;
            }
            if (at + 1 >= text.Length || text[at] != '=')
            {
                return $"an attribute without a value in a {element} element";
            }
            at++;
            while (at < text.Length && IsSpace(text[at]))
            {
                at++;
            }
            var quote = at < text.Length ? text[at] : (byte)0;
            var close = quote is (byte)'"' or (byte)'\'' ? text[(at + 1)..].IndexOf(quote) : -1;
            if (close < 0)
            {
                return $"an unquoted or unterminated attribute in a {element} element";
            }
            var valueStart = at + 1;
            at = valueStart + close + 1;
            if (OnAttribute(text, element, set, name, valueStart, close, ref s) is { } problem)
            {
                return problem;
            }
        }
    }

    private string? OnAttribute(Span<byte> text, Element element, MpdTrack? set, ReadOnlySpan<byte> name, int start, int length, ref MpdTimelineEntry s)
    {
        ReadOnlySpan<byte> value = text.Slice(start, length);
        switch (element)
        {
            case Element.Mpd when name.SequenceEqual("type"u8):
                Dynamic = value.SequenceEqual("dynamic"u8);
                break;
            case Element.Mpd when name.SequenceEqual("minimumUpdatePeriod"u8):
                MinimumUpdatePeriodMs = Duration(value, name, out var problem);
                return problem;
            case Element.Mpd when name.SequenceEqual("suggestedPresentationDelay"u8):
                SuggestedPresentationDelayMs = Duration(value, name, out problem);
                return problem;
            case Element.Mpd when name.SequenceEqual("maxSegmentDuration"u8):
                MaxSegmentDurationMs = Duration(value, name, out problem);
                return problem;
            case Element.AdaptationSet or Element.Representation when set is not null && set.Content == MpdContent.Other
                && (name.SequenceEqual("contentType"u8) || name.SequenceEqual("mimeType"u8)):
                set.Content = value.StartsWith("video"u8) ? MpdContent.Video : value.StartsWith("audio"u8) ? MpdContent.Audio : MpdContent.Other;
                break;
            case Element.SegmentTemplate when set is not null:
                return OnTemplateAttribute(text, set, name, start, length);
            case Element.S when name.SequenceEqual("t"u8):
                s = s with { Start = Number(value, "S@t", out problem) };
                return problem;
            case Element.S when name.SequenceEqual("d"u8):
                s = s with { Duration = Number(value, "S@d", out problem) };
                return problem ?? (s.Duration == 0 ? "an S element with d=\"0\"" : null);
            case Element.S when name.SequenceEqual("r"u8):
                // r="-1" repeats to the next S or the Period's end: this player takes it as no repeat.
                problem = null;
                var repeat = value.SequenceEqual("-1"u8) ? 0 : Number(value, "S@r", out problem);
                s = s with { Repeat = repeat };
                return problem;
        }
        return null;
    }

    private static string? OnTemplateAttribute(Span<byte> text, MpdTrack set, ReadOnlySpan<byte> name, int start, int length)
    {
        ReadOnlySpan<byte> value = text.Slice(start, length);
        string? problem = null;
        if (name.SequenceEqual("timescale"u8))
        {
            set.Timescale = Number(value, "timescale", out problem);
            problem ??= set.Timescale == 0 ? "timescale=\"0\"" : null;
        }
        else if (name.SequenceEqual("startNumber"u8))
        {
            set.StartNumber = Number(value, "startNumber", out problem);
        }
        else if (name.SequenceEqual("availabilityTimeComplete"u8))
        {
            set.AvailabilityTimeComplete = !value.SequenceEqual("false"u8);
        }
        else if (name.SequenceEqual("initialization"u8))
        {
            set.InitStart = start;
            set.InitLength = Decode(text.Slice(start, length));
        }
        else if (name.SequenceEqual("media"u8))
        {
            set.MediaStart = start;
            set.MediaLength = Decode(text.Slice(start, length));
        }
        return problem;
    }

    private static long Number(ReadOnlySpan<byte> value, string what, out string? problem)
    {
        problem = Utf8Parser.TryParse(value, out long number, out var used) && used == value.Length && number >= 0 ? null : $"a bad {what}";
        return number;
    }

    /// <summary>An xs:duration as MPDs write them (PnDTnHnMnS, seconds with a fraction); ms.</summary>
    internal static double Duration(ReadOnlySpan<byte> value, ReadOnlySpan<byte> name, out string? problem)
    {
        problem = $"a bad {System.Text.Encoding.ASCII.GetString(name)}";
        if (value.Length < 2 || value[0] != 'P')
        {
            return -1;
        }
        double ms = 0;
        var inTime = false;
        var afterT = 0;
        var at = 1;
        while (at < value.Length)
        {
            if (value[at] == 'T' && !inTime)
            {
                inTime = true;
                at++;
                continue;
            }
            if (!Utf8Parser.TryParse(value[at..], out double number, out var used) || used == 0 || at + used >= value.Length || number < 0)
            {
                return -1;
            }
            at += used;
            var unit = value[at++];
            ms += number * (unit, inTime) switch
            {
                ((byte)'D', false) => 86_400_000,
                ((byte)'H', true) => 3_600_000,
                ((byte)'M', true) => 60_000,
                ((byte)'S', true) => 1000,
                _ => double.NaN,
            };
            if (double.IsNaN(ms))
            {
                return -1;
            }
            afterT += inTime ? 1 : 0;
        }
        if (inTime && afterT == 0)
        {
            return -1;
        }
        problem = null;
        return ms;
    }

    /// <summary>Decodes the five XML entities and character references of an attribute in place; its new length.</summary>
    internal static int Decode(Span<byte> value)
    {
        var write = 0;
        for (var read = 0; read < value.Length; read++)
        {
            var c = value[read];
            if (c == '&' && value[read..].IndexOf((byte)';') is var semicolon and > 1)
            {
                var entity = value.Slice(read + 1, semicolon - 1);
                int decoded = entity.SequenceEqual("amp"u8) ? '&'
                    : entity.SequenceEqual("lt"u8) ? '<'
                    : entity.SequenceEqual("gt"u8) ? '>'
                    : entity.SequenceEqual("quot"u8) ? '"'
                    : entity.SequenceEqual("apos"u8) ? '\''
                    : entity[0] == '#' ? CharacterReference(entity[1..])
                    : -1;
                if (decoded >= 0)
                {
                    value[write++] = (byte)decoded;
                    read += semicolon;
                    continue;
                }
            }
            value[write++] = c;
        }
        return write;
    }

    // ASCII only: a URL template has no use for more; anything else stays as written.
    private static int CharacterReference(ReadOnlySpan<byte> digits)
    {
        var hex = !digits.IsEmpty && digits[0] == 'x';
        return Utf8Parser.TryParse(hex ? digits[1..] : digits, out int code, out var used, hex ? 'x' : 'd')
            && used == digits.Length - (hex ? 1 : 0) && code is > 0 and < 0x80 ? code : -1;
    }
}
