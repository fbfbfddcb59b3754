using Appliance.Load.Viewers;

namespace Appliance.Load.Report;

/// <summary>The LL-HLS and DASH figures of a set of players: requests, chunks, failures and stalls.</summary>
internal sealed class CmafTally
{
    public int Viewers { get; private init; }

    /// <summary>Players that got low-latency delivery: every LL-HLS one; DASH ones whose MPD announced segments in progress.</summary>
    public int LowLatencyViewers { get; private init; }

    public long ManifestRequests { get; private init; }

    public long BlockingReloads { get; private init; }

    public long MediaRequests { get; private init; }

    public long HintRequests { get; private init; }

    public long Connections { get; private init; }

    public long Fragments { get; private init; }

    public long MediaBytes { get; private init; }

    public long NonOkResponses { get; private init; }

    public long Timeouts { get; private init; }

    public long ConnectionErrors { get; private init; }

    public long Failures => NonOkResponses + Timeouts + ConnectionErrors;

    public long HintsNotMade { get; private init; }

    public long Skipped { get; private init; }

    public long Malformed { get; private init; }

    public Percentiles FirstManifest { get; private init; }

    public int StalledViewers { get; private init; }

    public long Stalls { get; private init; }

    public double LongestGapMs { get; private init; }

    public List<KeyValuePair<string, int>> FailureKinds { get; private init; } = [];

    public List<KeyValuePair<string, int>> MalformedKinds { get; private init; } = [];

    public static CmafTally? Of(IEnumerable<ViewerStats> viewers)
    {
        var count = 0;
        int lowLatency = 0, stalledViewers = 0;
        long manifests = 0, blocking = 0, media = 0, hints = 0, connections = 0, fragments = 0, bytes = 0;
        long nonOk = 0, timeouts = 0, connectionErrors = 0, notMade = 0, skipped = 0, malformed = 0, stalls = 0;
        double longestGap = 0;
        var firstManifest = new List<double>();
        var failures = new Dictionary<string, int>();
        var malformedKinds = new Dictionary<string, int>();
        foreach (var viewer in viewers)
        {
            if (viewer.Cmaf is not { } c || viewer.State == ViewerState.NotStarted)
            {
                continue;
            }
            count++;
            lowLatency += c.LowLatency ? 1 : 0;
            manifests += c.ManifestRequests;
            blocking += c.BlockingReloads;
            media += c.MediaRequests;
            hints += c.HintRequests;
            connections += c.Connections;
            fragments += c.Fragments;
            bytes += c.MediaBytes;
            nonOk += c.NonOkResponses;
            timeouts += c.Timeouts;
            connectionErrors += c.ConnectionErrors;
            notMade += c.HintsNotMade;
            skipped += c.Skipped;
            malformed += c.Malformed;
            var viewerStalls = c.Stalls;
            stalls += viewerStalls;
            stalledViewers += viewerStalls > 0 ? 1 : 0;
            longestGap = Math.Max(longestGap, c.LongestGapMs);
            if (c.FirstManifestMs >= 0)
            {
                firstManifest.Add(c.FirstManifestMs);
            }
            Count(failures, c.FirstFailure);
            Count(malformedKinds, c.FirstMalformed);
        }
        return count == 0 ? null : new CmafTally
        {
            Viewers = count,
            LowLatencyViewers = lowLatency,
            ManifestRequests = manifests,
            BlockingReloads = blocking,
            MediaRequests = media,
            HintRequests = hints,
            Connections = connections,
            Fragments = fragments,
            MediaBytes = bytes,
            NonOkResponses = nonOk,
            Timeouts = timeouts,
            ConnectionErrors = connectionErrors,
            HintsNotMade = notMade,
            Skipped = skipped,
            Malformed = malformed,
            FirstManifest = Percentiles.Of(firstManifest),
            StalledViewers = stalledViewers,
            Stalls = stalls,
            LongestGapMs = longestGap,
            FailureKinds = HlsTally.Sorted(failures),
            MalformedKinds = HlsTally.Sorted(malformedKinds),
        };
    }

    private static void Count(Dictionary<string, int> kinds, string? kind)
    {
        if (kind is not null)
        {
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
    }
}
