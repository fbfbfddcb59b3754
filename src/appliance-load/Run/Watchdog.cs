namespace Appliance.Load.Run;

/// <summary>
/// The last resort behind the hard cap: if the process is still alive well past it (a blocked
/// thread pool, a hung report), it says so and exits. A load tool must never outlive its run.
/// </summary>
internal static class Watchdog
{
    public static void Start(TimeSpan limit)
    {
        var thread = new Thread(() =>
        {
            Thread.Sleep(limit);
            Console.Error.WriteLine($"appliance-load: still running {limit.TotalSeconds:F0} s after the start; giving up");
            Environment.Exit(3);
        })
        {
            IsBackground = true,
            Name = "watchdog",
        };
        thread.Start();
    }
}
