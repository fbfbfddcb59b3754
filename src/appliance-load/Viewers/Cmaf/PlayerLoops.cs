namespace Appliance.Load.Viewers.Cmaf;

/// <summary>
/// The loops of one player run together: the first to stop for a reason of its own (an error, the
/// stream's end) stops the others, and that reason is the player's; the end of the run stops all
/// of them without one.
/// </summary>
internal static class PlayerLoops
{
    /// <returns>Why the player stopped before the run ended; null if it played to the end.</returns>
    public static async Task<string?> RunAsync(IEnumerable<Func<CancellationToken, Task<string>>> loops, CancellationToken runOver)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(runOver);
        var running = loops.Select(loop => Quietly(loop, stop.Token)).ToList();
        string? reason = null;
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            if (await done.ConfigureAwait(false) is { } why && reason is null && !runOver.IsCancellationRequested)
            {
                reason = why;
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
        return reason;
    }

    private static async Task<string?> Quietly(Func<CancellationToken, Task<string>> loop, CancellationToken stop)
    {
        try
        {
            return await loop(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return ErrorText.Of(e);
        }
    }
}
