namespace Appliance.Streaming.Renditions;

/// <summary>The packaging whose segments a group's playlists list; each is checked for alignment on its own.</summary>
public enum RenditionPackaging
{
    /// <summary>MPEG-TS HLS: the group's /{app}/{group}/index.m3u8.</summary>
    Hls,

    /// <summary>CMAF: the group's cmaf.m3u8, llhls.m3u8 and MPD.</summary>
    Cmaf,
}

/// <summary>Where a rendition stands in its group.</summary>
public enum RenditionState
{
    /// <summary>The top rendition: the one the others are compared with; always listed.</summary>
    Top,

    /// <summary>Its segment boundaries agree with the top's: listed.</summary>
    Aligned,

    /// <summary>No complete segment yet to compare: not listed until it has one.</summary>
    Pending,

    /// <summary>Its segment numbers or start times differ from the top's: a player cannot switch safely, so it is not listed.</summary>
    Misaligned,
}

/// <summary>Where a segment starts: its number and its start on the stream's media timeline.</summary>
public readonly record struct SegmentBoundary(long Number, long StartMs);
