namespace Appliance.Streaming.Settings;

/// <summary>The values of an app's <c>joinMode</c>: where in the GOP cache a new viewer starts, and at what time.</summary>
public static class JoinModes
{
    /// <summary>
    /// The newest keyframe, with the cached frames after it re-stamped into a short interval that
    /// ends at the live frame: the player decodes through the GOP at once and plays at the live edge.
    /// </summary>
    public const string Live = "live";

    /// <summary>The newest keyframe, frames at their own times: the player starts up to a GOP behind live.</summary>
    public const string KeyFrame = "keyframe";

    /// <summary>A keyframe at least <c>joinBufferMs</c> before live, frames at their own times: the player starts with that buffer.</summary>
    public const string Buffer = "buffer";

    /// <summary>
    /// The default <c>joinBurstMs</c>. The interval is the player's only buffer at the live edge:
    /// mpegts.js as pages use it by default holds the first 64 KB after the burst in its stash
    /// buffer; measured, it starts at once with 400 ms and does not stall, stalls in most joins
    /// with 200, and with 100 waits half a second before it starts. ffplay, mpv and mpegts.js
    /// without its stash do fine with 100 (README, Joining).
    /// </summary>
    public const int DefaultBurstMs = 400;

    /// <summary>
    /// The default <c>browserJoinBurstMs</c>: the burst for HTTP-FLV and HTTP-TS requests from a web
    /// browser, where mpegts.js (and flv.js) read through a stash buffer that holds what arrives
    /// after the burst until it has 64 KB, re-sized by the measured speed only after half a second:
    /// on a stream under 1 Mbit/s that is more than 400 ms of media (README, Joining).
    /// </summary>
    public const int DefaultBrowserBurstMs = 800;

    /// <summary>The largest <c>joinBurstMs</c> the validator accepts.</summary>
    public const int MaxBurstMs = 5000;

    public static bool IsKnown(string? mode) => mode is Live or KeyFrame or Buffer;
}
