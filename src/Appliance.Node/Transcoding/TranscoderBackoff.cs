namespace Appliance.Node.Transcoding;

/// <summary>
/// How long a transcoder waits before it starts ffmpeg again after a failure: from
/// <see cref="FirstMs"/>, doubling with each failure in a row, up to <see cref="MaxMs"/>. A child
/// that ran healthy for <see cref="HealthyRunMs"/> clears the count, so one crash a day restarts fast.
/// </summary>
internal static class TranscoderBackoff
{
    public const int FirstMs = 500;
    public const int MaxMs = 30_000;
    public const int HealthyRunMs = 60_000;

    /// <param name="failuresInARow">1 for the first failure.</param>
    public static int DelayMs(int failuresInARow)
    {
        if (failuresInARow <= 1)
        {
            return FirstMs;
        }
        var shift = Math.Min(failuresInARow - 1, 16);
        return (int)Math.Min((long)FirstMs << shift, MaxMs);
    }
}

/// <summary>When a transcoder's ffmpeg counts as stalled; tests shorten them.</summary>
/// <param name="StallMs">No frame out for this long while the source goes on.</param>
/// <param name="StartTimeoutMs">No progress report at all this long after start.</param>
internal sealed record TranscoderTimings(int StallMs = 10_000, int StartTimeoutMs = 20_000);
