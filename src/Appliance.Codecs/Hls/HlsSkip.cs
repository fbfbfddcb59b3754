namespace Appliance.Codecs.Hls;

/// <summary>What the player asked with _HLS_skip (RFC 8216bis 6.2.5.1).</summary>
public enum HlsSkip
{
    /// <summary>The whole playlist.</summary>
    None,

    /// <summary>_HLS_skip=YES: a delta update, old segments replaced by EXT-X-SKIP.</summary>
    Yes,

    /// <summary>_HLS_skip=v2: as YES, and EXT-X-DATERANGE tags may go too (this writer writes none).</summary>
    V2,
}
