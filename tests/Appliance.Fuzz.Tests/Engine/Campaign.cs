using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Appliance.Fuzz.Tests.Engine;

public sealed class CampaignOptions
{
    public ulong Seed { get; init; }

    /// <summary>Stop after this many executions (seeds included), or at <see cref="Duration"/>, whichever comes first.</summary>
    public long? Executions { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>Stop once this many different findings are in hand.</summary>
    public int MaxFindings { get; init; } = 8;

    public TimeSpan MinimizeBudget { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Signatures already known (inputs in Regressions/): found again, they are counted, not reported.</summary>
    public IReadOnlySet<string> Known { get; init; } = new HashSet<string>();

    public Action<string>? Log { get; init; }
}

public sealed class CampaignResult
{
    public required string Target { get; init; }

    public required ulong Seed { get; init; }

    public long Executions;

    public long Rejections;

    public int Seeds { get; set; }

    public int CorpusSize { get; set; }

    public TimeSpan Elapsed { get; set; }

    public List<Finding> Findings { get; } = [];

    /// <summary>Findings whose signature was already known.</summary>
    public List<Finding> KnownFindings { get; } = [];

    /// <summary>How often each refusal happened (numbers blanked), to see which checks stop the mutated inputs.</summary>
    public Dictionary<string, int> RejectionCounts { get; } = [];

    /// <summary>A hung input's thread was left running (it cannot be stopped).</summary>
    public bool Abandoned { get; set; }

    public double ExecutionsPerSecond => Elapsed.TotalSeconds > 0 ? Executions / Elapsed.TotalSeconds : 0;

    public string Summary =>
        $"{Target}: seed {Seed}, {Executions} executions in {Elapsed.TotalSeconds:F1} s ({ExecutionsPerSecond:F0}/s), " +
        $"{100.0 * Rejections / Math.Max(1, Executions):F0}% rejected, corpus {Seeds} -> {CorpusSize}, " +
        $"{Findings.Count} new finding(s){(KnownFindings.Count > 0 ? $", {KnownFindings.Count} known" : "")}";
}

/// <summary>
/// The own mutational fuzzer: seeds and corpus files first, then mutations of the corpus; an input
/// that shows a feature no earlier one did (see <see cref="Feedback"/>) joins the corpus. Everything
/// follows from the seed. Runs on a worker thread watched for inputs that never return.
/// </summary>
public static class Campaign
{
    /// <summary>An input still running after this long is reported at once as a hang.</summary>
    public static readonly TimeSpan StuckLimit = TimeSpan.FromSeconds(5);

    private const int MaxCorpus = 2048;

    public static IReadOnlyList<byte[]> LoadSeeds(IFuzzTarget target) =>
        [.. target.Seeds().Concat(ProjectPaths.Files(ProjectPaths.Corpus(target.Name)).Select(File.ReadAllBytes))
            .Select(s => s.Length > Executor.MaxInputLength ? s[..Executor.MaxInputLength] : s)];

    public static CampaignResult Run(IFuzzTarget target, CampaignOptions options)
    {
        var result = new CampaignResult { Target = target.Name, Seed = options.Seed };
        var probe = new Executor.Probe();
        Exception? failure = null;
        var started = Stopwatch.GetTimestamp();
        var worker = new Thread(() =>
        {
            try
            {
                Fuzz(target, options, result, probe);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = $"fuzz {target.Name}",
        };
        worker.Start();
        while (!worker.Join(100))
        {
            if (probe.StuckLongerThan(StuckLimit) is { } stuck)
            {
                lock (result.Findings)
                {
                    result.Findings.Add(new Finding(target.Name, FindingKind.Hang, "Timeout",
                        $"did not return within {StuckLimit.TotalSeconds:F0} s (its thread is still running)", "", stuck) { Where = "stuck" });
                }
                result.Abandoned = true;
                break;
            }
        }
        result.Elapsed = Stopwatch.GetElapsedTime(started);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        return result;
    }

    private static void Fuzz(IFuzzTarget target, CampaignOptions options, CampaignResult result, Executor.Probe probe)
    {
        var rng = new Prng(options.Seed);
        var seeds = LoadSeeds(target);
        // Inputs the parser accepted make better parents than refused ones; refused ones still join
        // (a new refusal is a new branch reached) but are picked a fifth of the time.
        var corpus = new List<byte[]>(seeds);
        var refused = new List<byte[]>();
        var features = new HashSet<ulong>();
        var signatures = new HashSet<string>();
        var mutator = new Mutator(rng, target.Dictionary, Executor.MaxInputLength);
        var started = Stopwatch.GetTimestamp();
        result.Seeds = seeds.Count;

        bool Done() =>
            options.Executions is { } most && result.Executions >= most
            || options.Duration is { } duration && Stopwatch.GetElapsedTime(started) >= duration
            || result.Findings.Count >= options.MaxFindings;

        void Consider(byte[] input, bool isSeed)
        {
            var execution = Executor.Execute(target, input, probe);
            result.Executions++;
            if (execution.Rejection is { } rejection)
            {
                result.Rejections++;
                var key = new string([.. rejection.Message.Take(90).Select(c => char.IsAsciiDigit(c) ? '#' : c)]);
                result.RejectionCounts[key] = result.RejectionCounts.GetValueOrDefault(key) + 1;
            }
            if (execution.Finding is { } finding)
            {
                if (!signatures.Add(finding.Signature))
                {
                    return;
                }
                if (options.Known.Contains(finding.Signature))
                {
                    result.KnownFindings.Add(finding);
                    options.Log?.Invoke($"  known: {finding.Signature}");
                    return;
                }
                options.Log?.Invoke($"  found: {finding.Signature} ({finding.Input.Length} bytes); minimizing");
                var small = Minimizer.Minimize(target, finding, options.MinimizeBudget, probe);
                lock (result.Findings)
                {
                    result.Findings.Add(small);
                }
                return;
            }
            var novel = false;
            foreach (var feature in Feedback.Current)
            {
                novel |= features.Add(feature);
            }
            if (novel && !isSeed)
            {
                var list = execution.Rejection is null ? corpus : refused;
                if (list.Count < MaxCorpus)
                {
                    list.Add(input);
                }
            }
        }

        foreach (var seed in seeds)
        {
            Consider(seed, isSeed: true);
        }
        var structured = target as IStructuredMutator;
        while (!Done())
        {
            var parent = refused.Count > 0 && rng.OneIn(5) ? rng.Pick(refused) : rng.Pick(corpus);
            var child = structured is not null && rng.OneIn(2) ? structured.Mutate(parent, rng) : null;
            Consider(child ?? mutator.Mutate(parent, corpus), isSeed: false);
        }
        result.CorpusSize = corpus.Count + refused.Count;
    }
}
