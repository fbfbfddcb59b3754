using System.Diagnostics;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// Shrinks a failing input by dropping chunks (halves, quarters, ... single bytes) for as long as
/// what is left still fails the same way (same kind, exception type and throwing frame).
/// </summary>
public static class Minimizer
{
    public static Finding Minimize(IFuzzTarget target, Finding finding, TimeSpan budget, Executor.Probe? probe = null)
    {
        if (finding.Where == "stuck")
        {
            // It never returned; running it again would only lose another thread.
            return finding;
        }
        var started = Stopwatch.GetTimestamp();
        bool TimeLeft() => Stopwatch.GetElapsedTime(started) < budget;
        var best = finding;
        for (var chunk = Math.Max(1, best.Input.Length / 2); chunk >= 1 && TimeLeft(); chunk = chunk == 1 ? 0 : Math.Max(1, chunk / 2))
        {
            var start = 0;
            while (start < best.Input.Length && TimeLeft())
            {
                var input = best.Input;
                var end = Math.Min(input.Length, start + chunk);
                byte[] candidate = [.. input.AsSpan(0, start), .. input.AsSpan(end)];
                var result = Executor.Execute(target, candidate, probe).Finding;
                if (result is not null && SameFailure(result, finding))
                {
                    best = result;
                }
                else
                {
                    start += chunk;
                }
            }
        }
        return best;
    }

    public static bool SameFailure(Finding a, Finding b) => a.Kind == b.Kind && a.ExceptionType == b.ExceptionType && a.Where == b.Where;
}
