using System.Diagnostics;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>What one execution did.</summary>
public readonly record struct Execution(Finding? Finding, Exception? Rejection, TimeSpan Elapsed);

/// <summary>Runs one input through a target and classifies the result.</summary>
public static class Executor
{
    /// <summary>Largest input fed to a target; longer ones are cut.</summary>
    public const int MaxInputLength = 64 * 1024;

    /// <summary>An input slower than this (every time of three) is a hang.</summary>
    public static readonly TimeSpan SlowLimit = TimeSpan.FromMilliseconds(200);

    /// <summary>No input of at most 64 KiB has a reason to make a parser allocate more than this.</summary>
    public const long AllocationLimit = 64L * 1024 * 1024;

    /// <param name="probe">Where a watchdog on another thread can see the input under way and since when.</param>
    public static Execution Execute(IFuzzTarget target, byte[] input, Probe? probe = null, bool confirmSlow = true)
    {
        if (input.Length > MaxInputLength)
        {
            input = input[..MaxInputLength];
        }
        var first = ExecuteOnce(target, input, probe);
        if (first.Finding is null && first.Elapsed > SlowLimit && confirmSlow)
        {
            // A GC pause or a busy machine can make anything slow once; a hang is slow every time.
            var fastest = first.Elapsed;
            for (var i = 0; i < 2 && fastest > SlowLimit; i++)
            {
                var again = ExecuteOnce(target, input, probe);
                fastest = again.Elapsed < fastest ? again.Elapsed : fastest;
            }
            if (fastest > SlowLimit)
            {
                var slow = new Finding(target.Name, FindingKind.Hang, "Timeout",
                    $"took {fastest.TotalMilliseconds:F0} ms at best of three (limit {SlowLimit.TotalMilliseconds:F0} ms)", "", input)
                { Where = "slow" };
                return first with { Finding = slow };
            }
        }
        return first;
    }

    private static Execution ExecuteOnce(IFuzzTarget target, byte[] input, Probe? probe)
    {
        Feedback.Begin();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        probe?.Enter(input, started);
        Finding? finding = null;
        Exception? rejection = null;
        try
        {
            target.Run(input);
        }
        catch (Exception e) when (target.IsExpected(e))
        {
            rejection = e;
            Feedback.NoteRejection(e);
        }
        catch (FuzzInvariantException e)
        {
            finding = Finding.FromException(target.Name, FindingKind.Invariant, e, input);
        }
        catch (Exception e)
        {
            finding = Finding.FromException(target.Name, FindingKind.Crash, e, input);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        probe?.Leave();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        if (finding is null && allocated > AllocationLimit)
        {
            finding = new Finding(target.Name, FindingKind.Memory, "Allocation",
                $"allocated {allocated / (1024 * 1024)} MiB for {input.Length} bytes of input", "", input)
            { Where = "allocation" };
        }
        return new Execution(finding, rejection, elapsed);
    }

    /// <summary>What a worker thread is running, for a watchdog on another thread.</summary>
    public sealed class Probe
    {
        private byte[]? _input;
        private long _startedAt;

        public void Enter(byte[] input, long startedAt)
        {
            Volatile.Write(ref _input, input);
            Volatile.Write(ref _startedAt, startedAt);
        }

        public void Leave() => Volatile.Write(ref _startedAt, 0);

        /// <summary>The input under way if it has run longer than <paramref name="limit"/>, else null.</summary>
        public byte[]? StuckLongerThan(TimeSpan limit)
        {
            var started = Volatile.Read(ref _startedAt);
            return started != 0 && Stopwatch.GetElapsedTime(started) > limit ? Volatile.Read(ref _input) : null;
        }
    }
}
