using Appliance.Load.Viewers;

namespace Appliance.Load.Report;

/// <summary>The figures of a set of viewers (all of them, or those of one URL).</summary>
internal sealed class Tally
{
    public int Viewers { get; private init; }

    public int NotStarted { get; private init; }

    /// <summary>Got the stream: RTMP Play.Start, or HTTP 200.</summary>
    public int Made { get; private init; }

    public int Failed { get; private init; }

    public int Dropped { get; private init; }

    /// <summary>Stopped by the churn (--churn) before the run ended; counted in <see cref="Made"/> too.</summary>
    public int Churned { get; private init; }

    /// <summary>Still connecting or playing when the hard cap gave up on them.</summary>
    public int Hung { get; private init; }

    public int Stalled { get; private init; }

    /// <summary>
    /// Gaps of 2 s or more without media, over all viewers (HLS: times a player's buffer ran out;
    /// LL-HLS and DASH: times a track went more than a target duration without a new chunk).
    /// </summary>
    public int Stalls { get; private init; }

    public double LongestGapMs { get; private init; }

    /// <summary>Each viewer's longest time without media once media flowed, over the viewers that got media.</summary>
    public Percentiles PlayingGapPerViewer { get; private init; }

    public long Bytes { get; private init; }

    public double MbitPerSecond { get; private init; }

    /// <summary>Mean over the viewers that played of bytes over the time each was connected.</summary>
    public double MbitPerViewer { get; private init; }

    /// <summary>The slowest viewer that played, by the same measure.</summary>
    public double MbitSlowestViewer { get; private init; }

    public long VideoFrames { get; private init; }

    public Percentiles FirstMedia { get; private init; }

    public Percentiles FirstKeyFrame { get; private init; }

    /// <summary>From each viewer's play request to its first keyframe (RTMP, HTTP-FLV, HTTP-TS).</summary>
    public Percentiles FirstKeyFrameAfterRequest { get; private init; }

    /// <summary>HTTP viewers: the first byte of the response (HLS: of the first playlist).</summary>
    public Percentiles FirstByte { get; private init; }

    /// <summary>Null when none of the viewers is an HLS player.</summary>
    public HlsTally? Hls { get; private init; }

    /// <summary>Null when none of the viewers is an LL-HLS or DASH player.</summary>
    public CmafTally? Cmaf { get; private init; }

    /// <summary>Null when none of the viewers reads MPEG-TS (HTTP-TS, HLS).</summary>
    public TsTally? Ts { get; private init; }

    /// <summary>Null when the viewers do not read latency stamps.</summary>
    public LatencyTally? Latency { get; private init; }

    public List<KeyValuePair<string, int>> Errors { get; private init; } = [];

    public static Tally Of(IEnumerable<ViewerStats> selected, double seconds)
    {
        var viewers = selected as IReadOnlyCollection<ViewerStats> ?? selected.ToList();
        int count = 0, rated = 0, notStarted = 0, made = 0, failed = 0, dropped = 0, churned = 0, hung = 0, stalled = 0, stalls = 0;
        double longestGap = 0, rateSum = 0, slowest = double.NaN;
        long bytes = 0, frames = 0;
        var firstMedia = new List<double>();
        var firstKey = new List<double>();
        var firstKeyAfterRequest = new List<double>();
        var firstByte = new List<double>();
        var playingGaps = new List<double>();
        var errors = new Dictionary<string, int>();
        foreach (var viewer in viewers)
        {
            count++;
            churned += viewer.Churned ? 1 : 0;
            bytes += viewer.Bytes;
            frames += viewer.VideoFrames;
            switch (viewer.State)
            {
                case ViewerState.NotStarted:
                    notStarted++;
                    continue;
                case ViewerState.Failed:
                    failed++;
                    break;
                case ViewerState.Dropped:
                    dropped++;
                    made++;
                    break;
                case ViewerState.Finished:
                    made++;
                    break;
                default:
                    hung++;
                    break;
            }
            if (viewer.Error is { } error)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
            }
            if (viewer.State is ViewerState.Failed)
            {
                continue;
            }
            if (viewer.Stalled)
            {
                stalled++;
            }
            stalls += viewer.Stalls;
            longestGap = Math.Max(longestGap, viewer.LongestGapMs);
            if (viewer.FirstMediaMs >= 0)
            {
                firstMedia.Add(viewer.FirstMediaMs);
                playingGaps.Add(viewer.LongestPlayingGapMs);
            }
            if (viewer.FirstKeyFrameMs >= 0)
            {
                firstKey.Add(viewer.FirstKeyFrameMs);
            }
            if (viewer.FirstKeyFrameAfterRequestMs >= 0)
            {
                firstKeyAfterRequest.Add(viewer.FirstKeyFrameAfterRequestMs);
            }
            if (viewer.FirstByteMs >= 0)
            {
                firstByte.Add(viewer.FirstByteMs);
            }
            var connected = viewer.EndedAt > viewer.StartedAt
                ? System.Diagnostics.Stopwatch.GetElapsedTime(viewer.StartedAt, viewer.EndedAt).TotalSeconds
                : 0;
            if (connected > 0)
            {
                var rate = viewer.Bytes * 8 / connected / 1e6;
                rateSum += rate;
                rated++;
                slowest = double.IsNaN(slowest) ? rate : Math.Min(slowest, rate);
            }
        }
        return new Tally
        {
            Viewers = count,
            NotStarted = notStarted,
            Made = made,
            Failed = failed,
            Dropped = dropped,
            Churned = churned,
            Hung = hung,
            Stalled = stalled,
            Stalls = stalls,
            LongestGapMs = longestGap,
            PlayingGapPerViewer = Percentiles.Of(playingGaps),
            Bytes = bytes,
            MbitPerSecond = seconds > 0 ? bytes * 8 / seconds / 1e6 : 0,
            MbitPerViewer = rated > 0 ? rateSum / rated : 0,
            MbitSlowestViewer = double.IsNaN(slowest) ? 0 : slowest,
            VideoFrames = frames,
            FirstMedia = Percentiles.Of(firstMedia),
            FirstKeyFrame = Percentiles.Of(firstKey),
            FirstKeyFrameAfterRequest = Percentiles.Of(firstKeyAfterRequest),
            FirstByte = Percentiles.Of(firstByte),
            Hls = HlsTally.Of(viewers),
            Cmaf = CmafTally.Of(viewers),
            Ts = TsTally.Of(viewers),
            Latency = LatencyTally.Of(viewers),
            Errors = HlsTally.Sorted(errors),
        };
    }
}
