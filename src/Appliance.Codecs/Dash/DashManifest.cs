namespace Appliance.Codecs.Dash;

/// <summary>
/// What a dynamic MPD says, built when a segment completes and written per request
/// (<see cref="DashManifestWriter"/>). Times are passed in, never read from a clock:
/// <paramref name="AvailabilityStartTime"/> stays fixed for the stream's life. Durations are in
/// milliseconds; zero leaves the optional ones out.
/// </summary>
public sealed record DashManifest(DateTimeOffset AvailabilityStartTime, DateTimeOffset PublishTime, long MinBufferTimeMs, IReadOnlyList<DashPeriod> Periods)
{
    public long MinimumUpdatePeriodMs { get; init; }

    public long TimeShiftBufferDepthMs { get; init; }

    public long SuggestedPresentationDelayMs { get; init; }

    public long MaxSegmentDurationMs { get; init; }

    /// <summary>The node's own time source (UTCTiming urn:mpeg:dash:utc:http-iso:2014), so players need no outside one.</summary>
    public string? UtcTimingUrl { get; init; }

    /// <summary>Set for low-latency DASH (chunked delivery of the segment in progress).</summary>
    public DashLowLatency? LowLatency { get; init; }
}
