using System.Globalization;
using System.Xml.Linq;

namespace Appliance.EndToEnd.Tests.Infrastructure;

public sealed record CmafPartEntry(string Uri, double Duration, bool Independent);

/// <summary>A complete segment of a CMAF media playlist: its number (from its name), URI without query, EXTINF, init and listed parts.</summary>
public sealed record CmafSegmentEntry(long Number, string Uri, double Duration, string Map, IReadOnlyList<CmafPartEntry> Parts);

/// <summary>An fMP4 HLS or LL-HLS media playlist as a player reads it; URIs are compared without their query (a session token).</summary>
public sealed record CmafMediaPlaylist(string Text, long MediaSequence, IReadOnlyList<CmafSegmentEntry> Segments, string? PreloadHint)
{
    public long LastNumber => Segments.Count > 0 ? Segments[^1].Number : -1;

    public CmafSegmentEntry? Find(long number) => Segments.FirstOrDefault(s => s.Number == number);

    /// <summary>The segment and part numbers of the preload hint (the next part to come), as _HLS_msn and _HLS_part ask for it.</summary>
    public (long Msn, int Part) NextPart()
    {
        Assert.True(PreloadHint is not null, $"no preload hint:\n{Text}");
        var numbers = PreloadHint![(PreloadHint.IndexOf('-', StringComparison.Ordinal) + 1)..^".m4s".Length].Split('.');
        return (long.Parse(numbers[0], CultureInfo.InvariantCulture), int.Parse(numbers[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a playlist of <paramref name="track"/> ("video", "audio"); fails the test when a segment's name is not its media sequence number.</summary>
    public static CmafMediaPlaylist Parse(string text, string track)
    {
        Assert.StartsWith("#EXTM3U\n", text, StringComparison.Ordinal);
        long mediaSequence = 0;
        string map = "";
        double? duration = null;
        var parts = new List<CmafPartEntry>();
        var segments = new List<CmafSegmentEntry>();
        string? hint = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                mediaSequence = long.Parse(line.AsSpan(22), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal))
            {
                map = WithoutQuery(Attribute(line, "URI")!);
            }
            else if (line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal))
            {
                parts.Add(new CmafPartEntry(WithoutQuery(Attribute(line, "URI")!), double.Parse(Attribute(line, "DURATION")!, CultureInfo.InvariantCulture),
                    Attribute(line, "INDEPENDENT") == "YES"));
            }
            else if (line.StartsWith("#EXT-X-PRELOAD-HINT:", StringComparison.Ordinal))
            {
                hint = WithoutQuery(Attribute(line, "URI")!);
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                duration = double.Parse(line.AsSpan(8).TrimEnd(','), CultureInfo.InvariantCulture);
            }
            else if (!line.StartsWith('#'))
            {
                var uri = WithoutQuery(line);
                Assert.True(duration is not null, $"{uri} without #EXTINF:\n{text}");
                var number = mediaSequence + segments.Count;
                Assert.True(uri == $"{track}-{number}.m4s", $"segment {uri} is not {track} number {number}:\n{text}");
                segments.Add(new CmafSegmentEntry(number, uri, duration!.Value, map, parts));
                parts = [];
                duration = null;
            }
        }
        return new CmafMediaPlaylist(text, mediaSequence, segments, hint);
    }

    private static string WithoutQuery(string uri) => uri.Split('?')[0];

    private static string? Attribute(string line, string name)
    {
        var list = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..];
        foreach (var pair in list.Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair[..eq] == name)
            {
                return pair[(eq + 1)..].Trim('"');
            }
        }
        return null;
    }
}

/// <summary>One segment of a DASH SegmentTimeline, by its $Number$.</summary>
public sealed record DashSegmentEntry(long Number, long Time, long Duration);

/// <summary>One Representation of an MPD: its codec and templates and its segments.</summary>
public sealed record DashTrack(string ContentType, string Codecs, int Width, int Height, long Timescale, long PresentationTimeOffset,
    string Initialization, string Media, IReadOnlyList<DashSegmentEntry> Segments);

/// <summary>An MPD as a player reads it: the AdaptationSets of its last Period.</summary>
public static class DashMpd
{
    private static readonly XNamespace Ns = "urn:mpeg:dash:schema:mpd:2011";

    public static Dictionary<string, DashTrack> Parse(string xml)
    {
        var mpd = XDocument.Parse(xml).Root!;
        var period = mpd.Elements(Ns + "Period").Last();
        var tracks = new Dictionary<string, DashTrack>();
        foreach (var set in period.Elements(Ns + "AdaptationSet"))
        {
            var representation = set.Element(Ns + "Representation")!;
            var template = representation.Element(Ns + "SegmentTemplate") ?? set.Element(Ns + "SegmentTemplate")!;
            var number = Long(template, "startNumber") ?? 1;
            var segments = new List<DashSegmentEntry>();
            long time = 0;
            foreach (var s in template.Element(Ns + "SegmentTimeline")?.Elements(Ns + "S") ?? [])
            {
                time = Long(s, "t") ?? time;
                var duration = Long(s, "d")!.Value;
                for (var r = 0L; r <= (Long(s, "r") ?? 0); r++)
                {
                    segments.Add(new DashSegmentEntry(number++, time, duration));
                    time += duration;
                }
            }
            var type = (string?)set.Attribute("contentType") ?? "";
            tracks[type] = new DashTrack(type, (string?)representation.Attribute("codecs") ?? "", (int)(Long(representation, "width") ?? 0), (int)(Long(representation, "height") ?? 0),
                Long(template, "timescale") ?? 1, Long(template, "presentationTimeOffset") ?? 0,
                (string?)template.Attribute("initialization") ?? "", (string?)template.Attribute("media") ?? "", segments);
        }
        return tracks;
    }

    private static long? Long(XElement element, string name) =>
        element.Attribute(name) is { } a ? long.Parse(a.Value, CultureInfo.InvariantCulture) : null;
}
