namespace Appliance.Streaming.Settings;

/// <summary>
/// CMAF packaging of an app's streams (fMP4 HLS, LL-HLS, DASH, LL-DASH). Segments follow the
/// app's <see cref="HlsConfig"/> (target duration, window, extra and minimum segments, idle stop),
/// so CMAF segment N holds the media of TS segment N.
/// </summary>
public sealed class CmafConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// LL-HLS PART-TARGET and the LL-DASH chunk length. Parts never exceed it, and it stays the
    /// same for the stream's life (hls.js and Apple's players require both). At 220 ms parts are
    /// exactly 200 ms at 25, 30 and 50 fps (ten to a 2 s segment, so its last part is whole too),
    /// and at every common rate from 23.976 to 60 fps and both AAC rates each part but a segment's
    /// last fills at least 85% of the target (RFC 8216bis), with room for a few milliseconds of
    /// timestamp jitter. 200 ms fills only 83% at 24 and 29.97 fps (5 frames); 300 ms would add
    /// a quarter second to PART-HOLD-BACK for nothing.
    /// </summary>
    public int PartTargetMs { get; set; } = 220;

    /// <summary>Blocking playlist reloads and preload-hinted part requests one stream holds at once; past it they are refused.</summary>
    public int MaxHeldRequests { get; set; } = 10_000;
}
