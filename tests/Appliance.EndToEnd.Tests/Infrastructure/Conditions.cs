using System.Diagnostics;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>Waits on a condition the daemon answers (an API call, a scrape) until it holds or the deadline passes.</summary>
public static class Conditions
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < deadline, $"timed out after {deadline.TotalSeconds:F0} s waiting for {what}");
            // The pace of asking, not a wait for the result: each round asks the daemon again.
            await Task.Delay(200);
        }
    }
}
