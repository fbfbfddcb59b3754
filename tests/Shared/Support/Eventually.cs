using System.Diagnostics;

namespace Appliance.Tests.Support;

/// <summary>Waits for a condition with a deadline instead of sleeping for a guessed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F1} s waiting for: {what}");
            }
            await Task.Delay(2);
        }
    }

    public static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(condition, Timeout, what);

    /// <summary>A token that cancels at the default deadline, for reads that would otherwise wait forever.</summary>
    public static CancellationToken Deadline() => new CancellationTokenSource(Timeout).Token;
}
