using System.Globalization;
using System.Text;

namespace Appliance.Tests.Support;

/// <param name="KeyUri">The URI of the AES-128 key in effect for the segment (EXT-X-KEY), or null for a clear one.</param>
/// <param name="KeyTagged">An EXT-X-KEY stands right before this segment.</param>
internal sealed record PlaylistEntry(long Sequence, string Uri, double Duration, bool Discontinuity, DateTimeOffset? ProgramDateTime,
    string? KeyUri = null, bool KeyTagged = false);

/// <summary>A live media playlist as a player reads it, checked against the RFC 8216 rules a player relies on.</summary>
internal sealed record MediaPlaylist(string Text, int TargetDuration, long MediaSequence, long DiscontinuitySequence, IReadOnlyList<PlaylistEntry> Entries, bool Ended)
{
    public int DiscontinuityTags => Entries.Count(e => e.Discontinuity);

    public static MediaPlaylist Parse(byte[] bytes) => Parse(Encoding.UTF8.GetString(bytes));

    /// <summary>Parses and validates; a malformed playlist fails the test with the text.</summary>
    public static MediaPlaylist Parse(string text)
    {
        var lines = text.Split('\n');
        Assert.True(lines.Length > 0 && lines[0] == "#EXTM3U", $"no #EXTM3U first:\n{text}");
        Assert.EndsWith("\n", text);
        int? target = null;
        long? mediaSequence = null;
        long discontinuitySequence = 0;
        var ended = false;
        var entries = new List<PlaylistEntry>();
        double? duration = null;
        var discontinuity = false;
        DateTimeOffset? programDateTime = null;
        string? keyUri = null;
        var keyTagged = false;
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
                Assert.True(mediaSequence is null && entries.Count == 0, $"misplaced media sequence:\n{text}");
                mediaSequence = long.Parse(line.AsSpan(22), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-DISCONTINUITY-SEQUENCE:", StringComparison.Ordinal))
            {
                Assert.True(entries.Count == 0, $"misplaced discontinuity sequence:\n{text}");
                discontinuitySequence = long.Parse(line.AsSpan(30), CultureInfo.InvariantCulture);
            }
            else if (line == "#EXT-X-DISCONTINUITY")
            {
                discontinuity = true;
            }
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            {
                programDateTime = DateTimeOffset.Parse(line.AsSpan(25), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(8);
                var comma = value.IndexOf(',');
                duration = double.Parse(comma >= 0 ? value[..comma] : value, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-KEY:", StringComparison.Ordinal))
            {
                // Only what this node writes: METHOD=AES-128 with a quoted URI, the IV implied by the sequence.
                Assert.StartsWith("#EXT-X-KEY:METHOD=AES-128,URI=\"", line);
                Assert.EndsWith("\"", line);
                keyUri = line[31..^1];
                keyTagged = true;
            }
            else if (line == "#EXT-X-ENDLIST")
            {
                ended = true;
            }
            else if (line.StartsWith("#EXT-X-VERSION:", StringComparison.Ordinal))
            {
            }
            else
            {
                Assert.False(line.StartsWith('#'), $"unexpected tag {line}:\n{text}");
                Assert.True(duration is not null, $"a URI without #EXTINF:\n{text}");
                entries.Add(new PlaylistEntry((mediaSequence ?? 0) + entries.Count, line, duration!.Value, discontinuity, programDateTime, keyUri, keyTagged));
                keyTagged = false;
                duration = null;
                discontinuity = false;
                programDateTime = null;
            }
        }
        Assert.True(target is not null, $"no #EXT-X-TARGETDURATION:\n{text}");
        Assert.True(duration is null && !discontinuity && !keyTagged, $"tags after the last URI:\n{text}");
        var playlist = new MediaPlaylist(text, target!.Value, mediaSequence ?? 0, discontinuitySequence, entries, ended);
        foreach (var entry in entries)
        {
            // RFC 8216 4.3.3.1: each EXTINF, rounded to the nearest integer, is at most the target duration.
            Assert.True(Math.Round(entry.Duration, MidpointRounding.AwayFromZero) <= target, $"EXTINF {entry.Duration} over the target {target}:\n{text}");
            Assert.True(entry.Duration > 0, $"EXTINF {entry.Duration}:\n{text}");
            // Segment names follow the media sequence (the stream's segments are named by sequence number).
            Assert.True(entry.Uri.EndsWith($"/{entry.Sequence}.ts", StringComparison.Ordinal), $"segment {entry.Uri} is not number {entry.Sequence}:\n{text}");
        }
        return playlist;
    }
}
