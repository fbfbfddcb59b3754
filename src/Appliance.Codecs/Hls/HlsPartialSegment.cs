namespace Appliance.Codecs.Hls;

/// <summary>One part of a segment (RFC 8216bis EXT-X-PART); <paramref name="Independent"/> when it starts with a sync sample.</summary>
public readonly record struct HlsPartialSegment(long DurationMs, string Uri, bool Independent);
