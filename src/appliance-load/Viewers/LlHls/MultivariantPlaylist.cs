using System.Text;

namespace Appliance.Load.Viewers.LlHls;

/// <summary>
/// What an LL-HLS player takes from a multivariant playlist: the first variant's media playlist,
/// and the audio rendition it names (the DEFAULT=YES one of its AUDIO group, else the group's
/// first) when that has a playlist of its own. Read once per player, so strings are fine here.
/// </summary>
internal static class MultivariantPlaylist
{
    /// <summary>
    /// The media playlists to follow, as written (relative URIs stay relative), video first; or
    /// none and <paramref name="isMedia"/> true when <paramref name="bytes"/> is a media playlist itself.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out List<string> playlists, out bool isMedia, out string problem)
    {
        playlists = [];
        isMedia = false;
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n', StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || lines[0] != "#EXTM3U")
        {
            problem = "does not start with #EXTM3U";
            return false;
        }
        string? variant = null, audioGroup = null;
        var renditions = new List<(string Group, bool Default, string Uri)>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal) || line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
            {
                isMedia = true;
                problem = "";
                return true;
            }
            if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal) && variant is null)
            {
                var uri = i + 1 < lines.Length ? lines[i + 1] : "";
                if (uri.Length == 0 || uri[0] == '#')
                {
                    problem = "#EXT-X-STREAM-INF without a URI line after it";
                    return false;
                }
                variant = uri;
                audioGroup = Attribute(line, "AUDIO");
            }
            else if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal) && Attribute(line, "TYPE") == "AUDIO"
                && Attribute(line, "URI") is { Length: > 0 } audioUri && Attribute(line, "GROUP-ID") is { } group)
            {
                renditions.Add((group, Attribute(line, "DEFAULT") == "YES", audioUri));
            }
        }
        if (variant is null)
        {
            problem = "neither a multivariant playlist (no #EXT-X-STREAM-INF) nor a media playlist";
            return false;
        }
        playlists.Add(variant);
        if (audioGroup is not null)
        {
            var inGroup = renditions.Where(r => r.Group == audioGroup).ToList();
            if (inGroup.Count > 0)
            {
                playlists.Add((inGroup.FirstOrDefault(r => r.Default) is { Uri: not null } chosen ? chosen : inGroup[0]).Uri);
            }
        }
        problem = "";
        return true;
    }

    /// <summary>An attribute's value, quotes removed; null when the tag has none.</summary>
    internal static string? Attribute(string line, string name)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var quoted = false;
        for (var i = colon + 1; i > 0 && i < line.Length; i++)
        {
            if ((i == colon + 1 || (!quoted && line[i - 1] == ',')) && string.CompareOrdinal(line, i, name + "=", 0, name.Length + 1) == 0)
            {
                var value = line[(i + name.Length + 1)..];
                if (value.StartsWith('"'))
                {
                    var close = value.IndexOf('"', 1);
                    return close < 0 ? null : value[1..close];
                }
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                return comma < 0 ? value : value[..comma];
            }
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
        }
        return null;
    }
}
