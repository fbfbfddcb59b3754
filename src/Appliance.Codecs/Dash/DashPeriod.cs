namespace Appliance.Codecs.Dash;

/// <summary>One period: a stretch of unbroken timeline (a discontinuity starts a new one) from <paramref name="StartMs"/> after availabilityStartTime.</summary>
public sealed record DashPeriod(string Id, long StartMs, IReadOnlyList<DashAdaptationSet> AdaptationSets);
