using Appliance.Relay.Config;
using Appliance.Relay;

namespace Appliance.Relay.Tests;

public sealed class UpstreamConfigValidatorTests
{
    private static List<string> Problems(IReadOnlyList<UpstreamConfig?>? upstreams)
    {
        var problems = new List<string>();
        UpstreamConfigValidator.Validate(upstreams, "domains[0].apps[0].upstreams", (ok, path, problem) =>
        {
            if (!ok)
            {
                problems.Add($"{path}: {problem}");
            }
        });
        return problems;
    }

    [Fact]
    public void AValidListHasNoProblems()
    {
        Assert.Empty(Problems([
            new UpstreamConfig { Url = "rtmp://parent-a/live", Priority = 0, Weight = 2, HealthUrl = "http://parent-a:8080/api/health", Name = "private line" },
            new UpstreamConfig { Url = "http://origin/{app}/{stream}.flv", Priority = 1, Weight = 0 },
        ]));
        Assert.Empty(Problems([]));
    }

    [Fact]
    public void EachProblemNamesItsKeyPath()
    {
        var problems = Problems([
            new UpstreamConfig { Url = "https://origin/{stream}.flv" },
            null,
            new UpstreamConfig { Url = "rtmp://parent/live", Weight = -1, Priority = 101, HealthUrl = "https://parent/health", Name = "" },
            new UpstreamConfig { Url = "RTMP://Parent:1935/live", Weight = 10_001, Priority = -1, Name = "tab\there" },
        ]);

        Assert.Equal(
            [
                "domains[0].apps[0].upstreams[0].url: https is not supported (the appliance has no TLS client); use http://",
                "domains[0].apps[0].upstreams[1]: must be an object",
                "domains[0].apps[0].upstreams[2].weight: must be between 0 and 10000",
                "domains[0].apps[0].upstreams[2].priority: must be between 0 and 100",
                "domains[0].apps[0].upstreams[2].healthUrl: https is not supported (the appliance has no TLS client); use http://",
                "domains[0].apps[0].upstreams[2].name: must be 1 to 100 characters without control characters",
                "domains[0].apps[0].upstreams[3].url: 'rtmp://parent:1935/live' is listed twice in this app",
                "domains[0].apps[0].upstreams[3].weight: must be between 0 and 10000",
                "domains[0].apps[0].upstreams[3].priority: must be between 0 and 100",
                "domains[0].apps[0].upstreams[3].name: must be 1 to 100 characters without control characters",
            ],
            problems);
    }

    [Fact]
    public void TheListItselfMustBeThereAndBounded()
    {
        Assert.Equal(["domains[0].apps[0].upstreams: must be an array"], Problems(null));

        var many = Enumerable.Range(0, 65).Select(i => (UpstreamConfig?)new UpstreamConfig { Url = $"rtmp://parent-{i}/live" }).ToList();
        Assert.Equal(["domains[0].apps[0].upstreams: lists more than 64 upstreams"], Problems(many));
    }
}
