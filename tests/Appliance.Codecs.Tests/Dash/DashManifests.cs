using System.Text;
using Appliance.Codecs.Dash;

namespace Appliance.Codecs.Tests.Dash;

/// <summary>A small live presentation: 2 s segments of H.264 (90 kHz) and AAC (48 kHz).</summary>
internal static class DashManifests
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static DashSegmentTime[] Segments(long start, long duration, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DashSegmentTime(start + i * duration, duration))];

    public static DashAdaptationSet Video(IReadOnlyList<DashSegmentTime> timeline, long startNumber = 5) =>
        new(0, DashContentType.Video,
        [
            new DashRepresentation("video", "avc1.64001f", 2_000_000,
                new DashSegmentTemplate(90000, "video/init.mp4", "video/$Number$.m4s") { StartNumber = startNumber, Timeline = timeline })
            {
                Width = 1280, Height = 720, FrameRateNumerator = 25,
            },
        ]);

    public static DashAdaptationSet Audio(IReadOnlyList<DashSegmentTime> timeline, long startNumber = 5) =>
        new(1, DashContentType.Audio,
        [
            new DashRepresentation("audio", "mp4a.40.2", 128_000,
                new DashSegmentTemplate(48000, "audio/init.mp4", "audio/$Number$.m4s") { StartNumber = startNumber, Timeline = timeline })
            {
                AudioSamplingRate = 48000, AudioChannels = 2,
            },
        ]) { Language = "en" };

    public static DashManifest Manifest(params DashPeriod[] periods) =>
        new(Start, Start.AddSeconds(20), 2000, periods)
        {
            MinimumUpdatePeriodMs = 2000,
            TimeShiftBufferDepthMs = 30000,
            SuggestedPresentationDelayMs = 6000,
            MaxSegmentDurationMs = 2000,
            UtcTimingUrl = "http://node.example/api/time",
        };

    public static string AsText(byte[] mpd) => Encoding.UTF8.GetString(mpd);

    public static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";
}
