namespace Appliance.Codecs.Dash;

/// <summary>
/// Low-latency signals: the latency the service aims for (ServiceDescription) and how early a
/// segment may be requested while it is produced (SegmentTemplate availabilityTimeOffset, with
/// availabilityTimeComplete="false"). Latencies in milliseconds, rates as factors (0.96).
/// </summary>
public sealed record DashLowLatency(long TargetLatencyMs, long MinLatencyMs, long MaxLatencyMs, double MinPlaybackRate, double MaxPlaybackRate, long AvailabilityTimeOffsetMs);
