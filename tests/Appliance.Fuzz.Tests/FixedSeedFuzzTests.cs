using System.Text;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Targets;

// One target at a time: the hang limit is measured time, and the buffer-leak checks read the process-wide pool.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Appliance.Fuzz.Tests;

/// <summary>
/// The short pass `make test` runs: for each target a fixed number of mutations from a fixed seed
/// (so a failure reproduces exactly), sized for the whole project to stay well under a minute on
/// two shared cores. `make fuzz` runs the same targets for longer with a new seed each time.
/// </summary>
public class FixedSeedFuzzTests
{
    private static readonly Dictionary<string, int> Executions = new()
    {
        ["rtmp-handshake"] = 600_000,
        ["rtmp-chunk"] = 200_000,
        ["amf0"] = 300_000,
        ["flv"] = 200_000,
        ["ts"] = 60_000,
        ["srt"] = 15_000,
        ["http"] = 600_000,
        ["auth"] = 1_000_000,
        ["config"] = 60_000,
    };

    public static TheoryData<string> Targets => new(TargetRegistry.All.Select(t => t.Name));

    /// <summary>The seed of a target's pass: fixed, and different per target.</summary>
    public static ulong FixedSeed(string target) => Fnv.Hash(target) % 1_000_000_007;

    [Theory]
    [MemberData(nameof(Targets))]
    public void FixedSeedMutationsFindNothing(string name)
    {
        var target = TargetRegistry.Get(name);
        var seed = FixedSeed(name);
        var result = Campaign.Run(target, new CampaignOptions
        {
            Seed = seed,
            Executions = Executions[name],
            Known = Regressions.StillFailing(target),
            MinimizeBudget = TimeSpan.FromSeconds(10),
            MaxFindings = 3,
        });
        if (result.Findings.Count == 0)
        {
            return;
        }
        var report = new StringBuilder();
        report.AppendLine($"{name}: fixed seed {seed} found {result.Findings.Count} problem(s) in {result.Executions} executions.");
        foreach (var finding in result.Findings)
        {
            var path = Regressions.Save(finding, ProjectPaths.TestFindings(name));
            report.AppendLine(finding.Describe(path));
        }
        report.AppendLine($"Replay one with: dotnet run --project tests/Appliance.Fuzz.Tests -- run {name} PATH");
        report.AppendLine($"Then check it in under tests/Appliance.Fuzz.Tests/Regressions/{name}/ (a [Fact(Skip = \"bug: ...\")] in RegressionTests until fixed).");
        Assert.Fail(report.ToString());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EverySeedIsAccepted(string name)
    {
        var target = TargetRegistry.Get(name);
        var seeds = Campaign.LoadSeeds(target);
        Assert.NotEmpty(seeds);
        foreach (var seed in seeds)
        {
            var execution = Executor.Execute(target, seed);
            Assert.True(execution.Finding is null, execution.Finding?.Describe());
            Assert.True(execution.Rejection is null, $"{name}: a seed of {seed.Length} bytes is refused: {execution.Rejection?.Message}");
        }
    }

    [Fact]
    public void AuthSeedsCarryValidTokens()
    {
        foreach (var seed in new AuthTarget().Seeds())
        {
            var (result, session) = AuthTarget.Check(seed);
            Assert.True(result.Allowed || session, $"{Encoding.UTF8.GetString(seed.AsSpan(2)).Split('\n')[0]}: {result}");
        }
    }

    [Fact]
    public void ConfigSeedsAreAccepted()
    {
        foreach (var seed in new ConfigTarget().Seeds())
        {
            Appliance.Node.Config.ConfigLoader.Parse(Encoding.UTF8.GetString(seed));
        }
    }

    [Fact]
    public void MutationsDependOnlyOnTheSeed()
    {
        var target = TargetRegistry.Get("amf0");
        var seeds = Campaign.LoadSeeds(target);
        byte[][] Draw(ulong seed)
        {
            var mutator = new Mutator(new Prng(seed), target.Dictionary, Executor.MaxInputLength);
            return [.. Enumerable.Range(0, 50).Select(i => mutator.Mutate(seeds[i % seeds.Count], seeds))];
        }
        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual(Draw(42), Draw(43));
    }

    [Fact]
    public void CorpusAndRegressionsStaySmallAndNamed()
    {
        var names = TargetRegistry.All.Select(t => t.Name).ToHashSet();
        long total = 0;
        foreach (var folder in new[] { "Corpus", "Regressions" })
        {
            var root = Path.Combine(ProjectPaths.ProjectDirectory, folder);
            foreach (var directory in Directory.Exists(root) ? Directory.GetDirectories(root) : [])
            {
                Assert.Contains(Path.GetFileName(directory), names);
                total += Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
            }
        }
        Assert.True(total < 1024 * 1024, $"corpus and regression inputs take {total} bytes; keep them under 1 MiB");
    }
}
