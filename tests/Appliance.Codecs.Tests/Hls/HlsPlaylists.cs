using System.Text;
using Appliance.Codecs.Hls;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>Builds playlist descriptions the way a packager would: 2 s segments of ten 200 ms parts.</summary>
internal static class HlsPlaylists
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static HlsMediaSegment Segment(long number, long durationMs = 2000, int parts = 0, string map = "init.mp4") =>
        new(number, durationMs, Start.AddMilliseconds(number * 2000), $"seg{number}.m4s", map)
        {
            Parts = Parts(number, parts),
        };

    public static HlsPartialSegment[] Parts(long segment, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new HlsPartialSegment(200, $"part{segment}.{i}.m4s", Independent: i % 5 == 0))];

    public static HlsMediaSegment[] Segments(long first, int count, int partsEach = 10) =>
        [.. Enumerable.Range(0, count).Select(i => Segment(first + i, parts: partsEach))];

    public static HlsOpenSegment Open(long number, int parts) =>
        new(number, Start.AddMilliseconds(number * 2000), "init.mp4", $"part{number}.{parts}.m4s") { Parts = Parts(number, parts) };

    public static string AsText(byte[] playlist) => Encoding.UTF8.GetString(playlist);

    public static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";
}
