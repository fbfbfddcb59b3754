using System.Globalization;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Targets;

namespace Appliance.Fuzz.Tests;

/// <summary>
/// The `make fuzz` side of the project (see fuzz.sh); `dotnet test` never comes here.
/// <code>
///   fuzz [--seconds N] [--targets a,b] [--seed S] [--executions N] [--verbose]   own mutational fuzzer, time-based seed by default
///   afl TARGET                                                      the target under afl-fuzz (SharpFuzz out-of-process loop)
///   seeds TARGET DIR [DICT]                                         writes the target's seeds and corpus files, one per file (and its afl dictionary)
///   triage TARGET PATH...                                           replays files (e.g. afl crashes/ and hangs/) and keeps real findings
///   run TARGET FILE                                                 one input, with what happened
///   list                                                            the target names
/// </code>
/// New findings are minimized into Regressions/{target}/{hash}.bin; the exit code is 1 when there were any.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: fuzz|afl|seeds|triage|run|list ... (see Program.cs)");
            return 2;
        }
        var rest = args[1..];
        return args[0] switch
        {
            "fuzz" => Fuzz(rest),
            "afl" => Afl(rest[0]),
            "seeds" => WriteSeeds(TargetRegistry.Get(rest[0]), rest[1], rest.Length > 2 ? rest[2] : null),
            "triage" => Triage(TargetRegistry.Get(rest[0]), rest[1..]),
            "run" => RunOne(TargetRegistry.Get(rest[0]), rest[1]),
            "list" => List(),
            _ => Usage(args[0]),
        };
    }

    private static int Usage(string command)
    {
        Console.Error.WriteLine($"unknown command '{command}'");
        return 2;
    }

    private static int List()
    {
        foreach (var target in TargetRegistry.All)
        {
            Console.WriteLine(target.Name);
        }
        return 0;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static int Fuzz(string[] args)
    {
        var seconds = double.Parse(Option(args, "--seconds") ?? "60", CultureInfo.InvariantCulture);
        var seed = Option(args, "--seed") is { } fixedSeed ? ulong.Parse(fixedSeed, CultureInfo.InvariantCulture) : (ulong)DateTime.UtcNow.Ticks;
        long? executions = Option(args, "--executions") is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : null;
        var targets = Option(args, "--targets") is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TargetRegistry.Get).ToList()
            : [.. TargetRegistry.All];
        var found = 0;
        foreach (var target in targets)
        {
            Console.WriteLine($"== {target.Name}: {seconds} s, seed {seed}");
            var result = Campaign.Run(target, new CampaignOptions
            {
                Seed = seed,
                Duration = TimeSpan.FromSeconds(seconds),
                Executions = executions,
                Known = Regressions.StillFailing(target),
                Log = Console.WriteLine,
            });
            Console.WriteLine(result.Summary);
            if (args.Contains("--verbose"))
            {
                foreach (var (message, count) in result.RejectionCounts.OrderByDescending(p => p.Value).Take(15))
                {
                    Console.WriteLine($"  {count,9}  {message}");
                }
            }
            found += Report(target, result.Findings);
            if (result.Abandoned)
            {
                Console.WriteLine("a hung input's thread is still running; stopping here");
                break;
            }
        }
        return found > 0 ? 1 : 0;
    }

    private static int Report(IFuzzTarget target, IEnumerable<Finding> findings)
    {
        var count = 0;
        foreach (var finding in findings)
        {
            var path = Regressions.Save(finding, ProjectPaths.Regressions(target.Name));
            Console.WriteLine(finding.Describe(Path.GetRelativePath(ProjectPaths.RepositoryRoot, path)));
            count++;
        }
        return count;
    }

    private static unsafe int Afl(string name)
    {
        // Instrumented code that runs before Run (building the targets, their static tables) writes
        // its trace into SharedMem, which SharpFuzz only points at afl's map inside Run; until then
        // it needs somewhere harmless to write (afl's map is 64 KiB).
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
        }
        var target = TargetRegistry.Get(name);
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var input = buffer.Length > Executor.MaxInputLength ? buffer.GetBuffer().AsSpan(0, Executor.MaxInputLength) : buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            try
            {
                target.Run(input);
            }
            catch (Exception e) when (target.IsExpected(e))
            {
            }
        });
        return 0;
    }

    private static int WriteSeeds(IFuzzTarget target, string directory, string? dictionary)
    {
        Directory.CreateDirectory(directory);
        var i = 0;
        foreach (var seed in Campaign.LoadSeeds(target))
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed-{i++:D3}.bin"), seed);
        }
        if (dictionary is not null)
        {
            // afl-fuzz -x format: name="bytes", with \xNN for anything but printable ASCII.
            var lines = target.Dictionary.Where(t => t.Length is > 0 and <= 128).Select((token, n) =>
                $"token{n}=\"{string.Concat(token.Select(b => b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}"))}\"");
            File.WriteAllLines(dictionary, lines);
        }
        Console.WriteLine($"{target.Name}: {i} seeds in {directory}");
        return 0;
    }

    private static int Triage(IFuzzTarget target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? ProjectPaths.Files(p) : File.Exists(p) ? [p] : []).ToList();
        var known = Regressions.StillFailing(target);
        var seen = new HashSet<string>();
        var findings = new List<Finding>();
        var quiet = 0;
        foreach (var file in files.Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal)))
        {
            var finding = Executor.Execute(target, File.ReadAllBytes(file)).Finding;
            if (finding is null)
            {
                quiet++;
                continue;
            }
            if (known.Contains(finding.Signature))
            {
                Console.WriteLine($"  known: {finding.Signature} ({Path.GetFileName(file)})");
                continue;
            }
            if (seen.Add(finding.Signature))
            {
                findings.Add(Minimizer.Minimize(target, finding, TimeSpan.FromSeconds(20)));
            }
        }
        Console.WriteLine($"{target.Name}: {files.Count} file(s) replayed, {quiet} fine in-process (flaky or slow only under afl), {findings.Count} new finding(s)");
        return Report(target, findings) > 0 ? 1 : 0;
    }

    private static int RunOne(IFuzzTarget target, string file)
    {
        var execution = Executor.Execute(target, File.ReadAllBytes(file));
        Console.WriteLine(execution.Finding?.Describe(file)
            ?? $"handled in {execution.Elapsed.TotalMilliseconds:F1} ms{(execution.Rejection is { } e ? $", refused: {e.GetType().Name}: {e.Message}" : "")}");
        return execution.Finding is null ? 0 : 1;
    }
}
