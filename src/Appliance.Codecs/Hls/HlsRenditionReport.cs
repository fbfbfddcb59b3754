namespace Appliance.Codecs.Hls;

/// <summary>Where another rendition's playlist stands (EXT-X-RENDITION-REPORT): its last segment number and last part index in it.</summary>
public readonly record struct HlsRenditionReport(string Uri, long LastMsn, long LastPart);
