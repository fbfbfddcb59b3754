using System.Globalization;

namespace Appliance.EndToEnd.Tests.Infrastructure;

public sealed record HlsEntry(long Sequence, string Uri, double Duration, bool Discontinuity, DateTimeOffset? ProgramDateTime = null);

/// <summary>A live HLS media playlist as a player reads it, checked against the RFC 8216 rules players rely on.</summary>
public sealed record HlsPlaylist(string Text, int TargetDuration, long MediaSequence, long DiscontinuitySequence, IReadOnlyList<HlsEntry> Entries, bool Ended)
{
    public int DiscontinuityTags => Entries.Count(e => e.Discontinuity);

    /// <summary>Parses and validates; a malformed playlist fails the test with its text.</summary>
    public static HlsPlaylist Parse(string text)
    {
        var lines = text.Split('\n');
        Assert.True(lines[0] == "#EXTM3U", $"no #EXTM3U first:\n{text}");
        int? target = null;
        long mediaSequence = 0;
        long discontinuitySequence = 0;
        var ended = false;
        var entries = new List<HlsEntry>();
        double? duration = null;
        var discontinuity = false;
        DateTimeOffset? programDateTime = null;
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            Assert.False(ended, $"a line after #EXT-X-ENDLIST:\n{text}");
            if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
            {
                Assert.Null(target);
                target = int.Parse(line.AsSpan(22), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                mediaSequence = long.Parse(line.AsSpan(22), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-DISCONTINUITY-SEQUENCE:", StringComparison.Ordinal))
            {
                discontinuitySequence = long.Parse(line.AsSpan(30), CultureInfo.InvariantCulture);
            }
            else if (line == "#EXT-X-DISCONTINUITY")
            {
                discontinuity = true;
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(8);
                var comma = value.IndexOf(',');
                duration = double.Parse(comma >= 0 ? value[..comma] : value, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            {
                programDateTime = DateTimeOffset.Parse(line.AsSpan(25), CultureInfo.InvariantCulture);
            }
            else if (line == "#EXT-X-ENDLIST")
            {
                ended = true;
            }
            else if (line.StartsWith('#'))
            {
                // EXT-X-VERSION, EXT-X-PROGRAM-DATE-TIME and the like.
            }
            else
            {
                Assert.True(duration is not null, $"a URI without #EXTINF:\n{text}");
                entries.Add(new HlsEntry(mediaSequence + entries.Count, line, duration!.Value, discontinuity, programDateTime));
                duration = null;
                discontinuity = false;
                programDateTime = null;
            }
        }
        Assert.True(target is not null, $"no #EXT-X-TARGETDURATION:\n{text}");
        foreach (var entry in entries)
        {
            Assert.True(entry.Duration > 0, $"EXTINF {entry.Duration}:\n{text}");
            // RFC 8216 4.3.3.1: each EXTINF, rounded to the nearest integer, must not exceed the target.
            Assert.True(Math.Round(entry.Duration, MidpointRounding.AwayFromZero) <= target, $"EXTINF {entry.Duration} is over the target duration {target}:\n{text}");
            Assert.True(entry.Uri.EndsWith($"/{entry.Sequence}.ts", StringComparison.Ordinal) || entry.Uri.Contains($"/{entry.Sequence}.ts?", StringComparison.Ordinal),
                $"segment {entry.Uri} is not number {entry.Sequence}:\n{text}");
        }
        return new HlsPlaylist(text, target!.Value, mediaSequence, discontinuitySequence, entries, ended);
    }
}
