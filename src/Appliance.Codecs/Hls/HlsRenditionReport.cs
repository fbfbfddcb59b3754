namespace Appliance.Codecs.Hls;

/// <summary>Where another rendition's playlist stands (EXT-X-RENDITION-REPORT): its last segment number and last part index in it.</summary>
public readonly record struct HlsRenditionReport(string Uri, long LastMsn, long LastPart)
{
    /// <summary>
    /// Written without the playlist's query: the report names a playlist reached with a token of
    /// its own (another rendition of a group), and players match a report to the playlist they
    /// load by its URI's beginning.
    /// </summary>
    public bool WithoutQuery { get; init; }
}
