using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Targets;

namespace Appliance.Fuzz.Tests;

/// <summary>
/// Every input under Regressions/{target}/ once made its target fail; each must now be handled.
/// Inputs of bugs not fixed yet are listed in <see cref="KnownBugs"/> and have their own skipped
/// test below, which comes back (drop the Skip and the entry) with the fix.
/// </summary>
public class RegressionTests
{
    /// <summary>target/file of the regression inputs whose bug is still open, and what it is.</summary>
    public static readonly Dictionary<string, string> KnownBugs = new()
    {
    };

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in TargetRegistry.All)
        {
            foreach (var file in ProjectPaths.Files(ProjectPaths.Regressions(target.Name)))
            {
                var name = Path.GetFileName(file);
                if (!KnownBugs.ContainsKey($"{target.Name}/{name}"))
                {
                    data.Add(target.Name, name);
                }
            }
        }
        if (data.Count == 0)
        {
            // xunit refuses a theory without data; this row stands for "no fixed regression yet".
            data.Add("", "");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void RegressionInputIsHandled(string target, string file)
    {
        if (target.Length > 0)
        {
            AssertHandled(target, file);
        }
    }

    [Fact]
    public void EveryKnownBugHasItsInput()
    {
        foreach (var key in KnownBugs.Keys)
        {
            var (target, file) = (key.Split('/')[0], key.Split('/')[1]);
            Assert.True(File.Exists(Path.Combine(ProjectPaths.Regressions(target), file)), $"{key} is listed as a known bug but not checked in");
        }
    }

    [Fact]
    // Was: HlsSessionToken signed into a 1 KB stack buffer and threw on longer stream keys.
    public void HlsSessionTokenWithALongStreamName() => AssertHandled("auth", "0c35566856bb696d.bin");

    [Fact]
    // Was: a domain named "example.com:8080" was accepted but could never match a request.
    public void DomainNameWithAPort() => AssertHandled("config", "65a01cfd4a9fae84.bin");

    private static void AssertHandled(string target, string file)
    {
        var path = Path.Combine(ProjectPaths.Regressions(target), file);
        var execution = Executor.Execute(TargetRegistry.Get(target), File.ReadAllBytes(path));
        Assert.True(execution.Finding is null, execution.Finding?.Describe(path));
    }
}
