using Appliance.Load.Viewers;

namespace Appliance.Load.Report;

/// <summary>The HLS figures of a set of viewers: requests, failures, segment times and stalls of the modelled players.</summary>
internal sealed class HlsTally
{
    public int Viewers { get; private init; }

    public long PlaylistRequests { get; private init; }

    public long SegmentRequests { get; private init; }

    public long Segments { get; private init; }

    public long NonOkResponses { get; private init; }

    public long Timeouts { get; private init; }

    public long ConnectionErrors { get; private init; }

    public long Failures => NonOkResponses + Timeouts + ConnectionErrors;

    /// <summary>TCP connections opened, over all viewers (one each when keep-alive held).</summary>
    public long Connections { get; private init; }

    public long SegmentBytes { get; private init; }

    public double MediaSeconds { get; private init; }

    public Percentiles SegmentTime { get; private init; }

    public Percentiles FirstPlaylist { get; private init; }

    public Percentiles FirstSegment { get; private init; }

    /// <summary>Per viewer, the least media buffered when a segment arrived.</summary>
    public Percentiles LowestBuffer { get; private init; }

    /// <summary>The least media any viewer had buffered when a segment arrived; NaN if none.</summary>
    public double LowestBufferMinMs { get; private init; }

    public int StalledViewers { get; private init; }

    public long Stalls { get; private init; }

    public double StalledSeconds { get; private init; }

    public double LongestStallMs { get; private init; }

    public long SkippedSegments { get; private init; }

    public long MalformedSegments { get; private init; }

    public long NotStartingWithPat { get; private init; }

    public int EndedViewers { get; private init; }

    /// <summary>Each viewer's first failure, grouped.</summary>
    public List<KeyValuePair<string, int>> FailureKinds { get; private init; } = [];

    /// <summary>Each viewer's first malformed segment, grouped.</summary>
    public List<KeyValuePair<string, int>> MalformedKinds { get; private init; } = [];

    public static HlsTally? Of(IEnumerable<ViewerStats> viewers)
    {
        var count = 0;
        long playlists = 0, segmentRequests = 0, segments = 0, nonOk = 0, timeouts = 0, connectionErrors = 0, connections = 0;
        long bytes = 0, stalls = 0, skipped = 0, malformed = 0, notPat = 0;
        int stalledViewers = 0, ended = 0;
        double media = 0, stalledMs = 0, longestStall = 0;
        var times = new LatencyHistogram();
        List<double> firstPlaylist = [], firstSegment = [], lowestBuffer = [];
        var failures = new Dictionary<string, int>();
        var malformedKinds = new Dictionary<string, int>();
        foreach (var viewer in viewers)
        {
            if (viewer.Hls is not { } hls || viewer.State == ViewerState.NotStarted)
            {
                continue;
            }
            count++;
            playlists += hls.PlaylistRequests;
            segmentRequests += hls.SegmentRequests;
            segments += hls.Segments;
            nonOk += hls.NonOkResponses;
            timeouts += hls.Timeouts;
            connectionErrors += hls.ConnectionErrors;
            connections += hls.Connections;
            bytes += hls.SegmentBytes;
            media += hls.MediaMs;
            times.Merge(hls.SegmentTimes);
            AddIfSet(firstPlaylist, hls.FirstPlaylistMs);
            AddIfSet(firstSegment, hls.FirstSegmentMs);
            AddIfSet(lowestBuffer, hls.LowestBufferMs);
            if (hls.Stalls > 0)
            {
                stalledViewers++;
            }
            stalls += hls.Stalls;
            stalledMs += hls.StalledMs;
            longestStall = Math.Max(longestStall, hls.LongestStallMs);
            skipped += hls.SkippedSegments;
            malformed += hls.MalformedSegments;
            notPat += hls.NotStartingWithPat;
            ended += hls.Ended ? 1 : 0;
            Count(failures, hls.FirstFailure);
            Count(malformedKinds, hls.FirstMalformed);
        }
        if (count == 0)
        {
            return null;
        }
        return new HlsTally
        {
            Viewers = count,
            PlaylistRequests = playlists,
            SegmentRequests = segmentRequests,
            Segments = segments,
            NonOkResponses = nonOk,
            Timeouts = timeouts,
            ConnectionErrors = connectionErrors,
            Connections = connections,
            SegmentBytes = bytes,
            MediaSeconds = media / 1000,
            SegmentTime = times.ToPercentiles(),
            FirstPlaylist = Percentiles.Of(firstPlaylist),
            FirstSegment = Percentiles.Of(firstSegment),
            LowestBufferMinMs = lowestBuffer.Count > 0 ? lowestBuffer.Min() : double.NaN,
            LowestBuffer = Percentiles.Of(lowestBuffer),
            StalledViewers = stalledViewers,
            Stalls = stalls,
            StalledSeconds = stalledMs / 1000,
            LongestStallMs = longestStall,
            SkippedSegments = skipped,
            MalformedSegments = malformed,
            NotStartingWithPat = notPat,
            EndedViewers = ended,
            FailureKinds = Sorted(failures),
            MalformedKinds = Sorted(malformedKinds),
        };
    }

    private static void AddIfSet(List<double> values, double value)
    {
        if (value >= 0)
        {
            values.Add(value);
        }
    }

    private static void Count(Dictionary<string, int> kinds, string? kind)
    {
        if (kind is not null)
        {
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
    }

    internal static List<KeyValuePair<string, int>> Sorted(Dictionary<string, int> kinds) =>
        kinds.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();
}
