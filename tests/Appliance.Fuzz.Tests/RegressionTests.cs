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
        ["auth/0c35566856bb696d.bin"] = HlsSessionTokenLongKey,
        ["config/65a01cfd4a9fae84.bin"] = DomainNameWithPort,
    };

    private const string HlsSessionTokenLongKey =
        "bug: HlsSessionToken.IsValid/Issue throw ArgumentException (UTF8.GetBytes into a 1024-byte stack buffer in Sign) " +
        "when domain/app/name is over ~1 KiB in UTF-8; the HTTP segment route does not bound the name, so any client makes the session fail with 'internal error'";

    private const string DomainNameWithPort =
        "bug: the validator accepts a domain name or alias with a ':' (\"example.com:8080\") or in brackets, which DomainTable " +
        "can never match (StripPort cuts the request's port first); its requests silently go to the default domain";

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

    [Fact(Skip = HlsSessionTokenLongKey)]
    public void HlsSessionTokenWithALongStreamName() => AssertHandled("auth", "0c35566856bb696d.bin");

    [Fact(Skip = DomainNameWithPort)]
    public void DomainNameWithAPort() => AssertHandled("config", "65a01cfd4a9fae84.bin");

    private static void AssertHandled(string target, string file)
    {
        var path = Path.Combine(ProjectPaths.Regressions(target), file);
        var execution = Executor.Execute(TargetRegistry.Get(target), File.ReadAllBytes(path));
        Assert.True(execution.Finding is null, execution.Finding?.Describe(path));
    }
}
