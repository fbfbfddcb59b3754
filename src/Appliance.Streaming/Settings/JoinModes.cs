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
    /// The default <c>joinBurstMs</c>. The player has to decode the whole cached GOP before it
    /// reaches the live frame, and what the interval leaves is its only buffer: measured on a busy
    /// 2-core machine, mpegts.js in Chromium stalled once at start in 2 to 3 of 6 joins with 100 or
    /// 200 ms and in none of 16 with 400 (ffplay and mpv do not stall with less; README, Joining).
    /// </summary>
    public const int DefaultBurstMs = 400;

    /// <summary>The largest <c>joinBurstMs</c> the validator accepts.</summary>
    public const int MaxBurstMs = 5000;

    public static bool IsKnown(string? mode) => mode is Live or KeyFrame or Buffer;
}
