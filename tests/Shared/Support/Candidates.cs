using Appliance.Relay.Urls;
using Appliance.Relay;
using Appliance.Relay.Routing;

namespace Appliance.Tests.Support;

/// <summary>Builds route candidates whose health reads the test's clock.</summary>
internal sealed class Candidates(ManualMonotonicClock clock)
{
    public RouteCandidate Make(string url, int weight = 1, int priority = 0, double? rttMs = null)
    {
        Assert.True(UpstreamUrl.TryParse(url, out var parsed, out var error), error);
        var candidate = new RouteCandidate(parsed, weight, priority, new CandidateHealth(null, clock.Read));
        if (rttMs is { } rtt)
        {
            candidate.Health.RecordRtt(rtt);
        }
        return candidate;
    }

    public static void TakeDown(RouteCandidate candidate)
    {
        for (int i = 0; i < candidate.Health.Options.FailuresBeforeDown; i++)
        {
            candidate.Health.RecordFailure("refused");
        }
    }
}
