using System.Globalization;
using Appliance.Codecs.Fmp4;

namespace Appliance.Streaming.Packaging.Cmaf;

public enum CmafFileKind
{
    /// <summary>cmaf.m3u8 (fMP4 HLS) or llhls.m3u8 (LL-HLS): the multivariant playlist.</summary>
    Multivariant,

    /// <summary>video.m3u8, audio.m3u8, or video-ll.m3u8, audio-ll.m3u8 (low latency).</summary>
    MediaPlaylist,

    /// <summary>video-init-{id}.mp4: a track's init segment; id is 8 hex digits of its bytes' hash.</summary>
    Init,

    /// <summary>video-{N}.m4s: a whole segment.</summary>
    Segment,

    /// <summary>video-{N}.{k}.m4s: part k of segment N (an LL-HLS part, an LL-DASH chunk).</summary>
    Part,
}

/// <summary>
/// The name of a file of a stream's CMAF packaging, relative to /{app}/{stream}/, as every node
/// names it: numbers and init ids come from the media, never from the node, so a player can move
/// between edges. Parsing accepts only the canonical spelling (no sign, no leading zero), so each
/// file has exactly one name.
/// </summary>
public readonly record struct CmafName(CmafFileKind Kind, Fmp4TrackKind Track, bool LowLatency = false, long Number = 0, int Part = 0, uint InitId = 0)
{
    public const string Multivariant = "cmaf.m3u8";
    public const string LowLatencyMultivariant = "llhls.m3u8";

    // A segment number past this is no name of ours (2^53: also where a JavaScript player stops counting exactly).
    private const long MaxNumber = 1L << 53;
    private const int MaxPart = 99_999;

    public static string TrackName(Fmp4TrackKind track) => track == Fmp4TrackKind.Video ? "video" : "audio";

    public static string Playlist(Fmp4TrackKind track, bool lowLatency) => lowLatency
        ? track == Fmp4TrackKind.Video ? "video-ll.m3u8" : "audio-ll.m3u8"
        : track == Fmp4TrackKind.Video ? "video.m3u8" : "audio.m3u8";

    public static string InitFile(Fmp4TrackKind track, uint id) =>
        string.Create(CultureInfo.InvariantCulture, $"{TrackName(track)}-init-{id:x8}.mp4");

    public static string SegmentFile(Fmp4TrackKind track, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{TrackName(track)}-{number}.m4s");

    public static string PartFile(Fmp4TrackKind track, long number, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{TrackName(track)}-{number}.{part}.m4s");

    /// <summary>The DASH media template for a track's segments ($Number$), under <paramref name="prefix"/>.</summary>
    public static string SegmentTemplate(string prefix, Fmp4TrackKind track) => $"{prefix}{TrackName(track)}-$Number$.m4s";

    public static bool TryParse(ReadOnlySpan<char> name, out CmafName parsed)
    {
        parsed = default;
        if (name.SequenceEqual(Multivariant) || name.SequenceEqual(LowLatencyMultivariant))
        {
            parsed = new CmafName(CmafFileKind.Multivariant, Fmp4TrackKind.Video, LowLatency: name[0] == 'l');
            return true;
        }
        Fmp4TrackKind track;
        if (name.StartsWith("video"))
        {
            track = Fmp4TrackKind.Video;
        }
        else if (name.StartsWith("audio"))
        {
            track = Fmp4TrackKind.Audio;
        }
        else
        {
            return false;
        }
        var rest = name[5..];
        if (rest.SequenceEqual(".m3u8") || rest.SequenceEqual("-ll.m3u8"))
        {
            parsed = new CmafName(CmafFileKind.MediaPlaylist, track, LowLatency: rest[0] == '-');
            return true;
        }
        if (rest.IsEmpty || rest[0] != '-')
        {
            return false;
        }
        rest = rest[1..];
        if (rest.StartsWith("init-"))
        {
            var hex = rest[5..];
            if (hex.Length == 8 + 4 && hex.EndsWith(".mp4") && IsLowerHex(hex[..8]) &&
                uint.TryParse(hex[..8], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
            {
                parsed = new CmafName(CmafFileKind.Init, track, InitId: id);
                return true;
            }
            return false;
        }
        if (!rest.EndsWith(".m4s"))
        {
            return false;
        }
        rest = rest[..^4];
        var dot = rest.IndexOf('.');
        var numberText = dot < 0 ? rest : rest[..dot];
        if (!TryParseCanonical(numberText, MaxNumber, out var number))
        {
            return false;
        }
        if (dot < 0)
        {
            parsed = new CmafName(CmafFileKind.Segment, track, Number: number);
            return true;
        }
        if (!TryParseCanonical(rest[(dot + 1)..], MaxPart, out var part))
        {
            return false;
        }
        parsed = new CmafName(CmafFileKind.Part, track, Number: number, Part: (int)part);
        return true;
    }

    /// <summary>The file name this parsed from.</summary>
    public override string ToString() => Kind switch
    {
        CmafFileKind.Multivariant => LowLatency ? LowLatencyMultivariant : Multivariant,
        CmafFileKind.MediaPlaylist => Playlist(Track, LowLatency),
        CmafFileKind.Init => InitFile(Track, InitId),
        CmafFileKind.Segment => SegmentFile(Track, Number),
        _ => PartFile(Track, Number, Part),
    };

    private static bool TryParseCanonical(ReadOnlySpan<char> digits, long max, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 16 || (digits[0] == '0' && digits.Length > 1))
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return value <= max;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
