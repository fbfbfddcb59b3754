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
    /// same for the stream's life (hls.js and Apple's players require both). 300 ms is the
    /// shortest target for which whole frames fill at least 85% of every part at all common
    /// rates (RFC 8216bis: parts but a segment's last are at least 85% of the target): 7 frames
    /// at 23.976 and 25 fps, 8 or 9 at 29.97, 9 at 30, 15 at 50, 17 at 59.94, 18 at 60, and 12 or 14
    /// AAC frames at 44.1 or 48 kHz. 200 ms fills only 83% at 24 and 29.97 fps (5 frames);
    /// 250 ms only 83% at 23.976 fps.
    /// </summary>
    public int PartTargetMs { get; set; } = 300;

    /// <summary>Blocking playlist reloads and preload-hinted part requests one stream holds at once; past it they are refused.</summary>
    public int MaxHeldRequests { get; set; } = 10_000;
}
