namespace Appliance.Codecs.Dash;

public enum DashContentType
{
    Video,
    Audio,
}

/// <summary>The representations of one content type in a period; written with segmentAlignment and startWithSAP 1 (CMAF segments start with a sync sample).</summary>
public sealed record DashAdaptationSet(int Id, DashContentType ContentType, IReadOnlyList<DashRepresentation> Representations)
{
    /// <summary>RFC 5646 language, or null to leave lang out.</summary>
    public string? Language { get; init; }
}
