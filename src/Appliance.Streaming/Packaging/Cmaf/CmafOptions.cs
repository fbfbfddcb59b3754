using Appliance.Streaming.Settings;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>What one stream's CMAF packager is configured with, read from its app once when it starts.</summary>
/// <param name="DashPrefix">From the MPD's URL (/{app}/{stream}.mpd) to the stream's files: the escaped stream name and '/'.</param>
/// <param name="UtcTimingUrl">The node's time source for DASH players (UTCTiming), or null.</param>
internal readonly record struct CmafOptions(long TargetMs, long PartTargetMs, int WindowSegments, int ExtraSegments, int MinSegments,
    int MaxHeldRequests, string DashPrefix, string? UtcTimingUrl)
{
    public static CmafOptions From(StreamingAppConfig app, string dashPrefix, string? utcTimingUrl) => new(
        app.Hls.TargetDurationMs, app.Cmaf.PartTargetMs, app.Hls.WindowSegments, app.Hls.ExtraSegments, app.Hls.MinSegments,
        app.Cmaf.MaxHeldRequests, dashPrefix, utcTimingUrl);
}
