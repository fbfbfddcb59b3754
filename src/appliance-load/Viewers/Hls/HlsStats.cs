using System.Diagnostics;
using Appliance.Load.Report;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Hls;

/// <summary>
/// What one HLS viewer saw, beyond <see cref="ViewerStats"/>: requests and their failures, segment
/// download times, and the buffer a player would have had. Playback is modelled as starting when
/// the first segment is in; from then on the buffer is the media downloaded (the sum of EXTINF)
/// minus the wall time played. When it would have gone below zero the player rebuffers: that is a
/// stall, and playback resumes when the late segment arrives. Written by the viewer's task only.
/// </summary>
internal sealed class HlsStats
{
    private long _playStart;
    private double _waitedMs;

    public int PlaylistRequests { get; set; }

    public int SegmentRequests { get; set; }

    /// <summary>Responses other than 200, to either kind of request.</summary>
    public int NonOkResponses { get; private set; }

    /// <summary>Requests with no complete response within the timeout.</summary>
    public int Timeouts { get; private set; }

    /// <summary>Requests lost to a connection error (reset, closed mid-body, malformed head).</summary>
    public int ConnectionErrors { get; private set; }

    public int Failures => NonOkResponses + Timeouts + ConnectionErrors;

    /// <summary>The first failure, described, for the report's list of kinds.</summary>
    public string? FirstFailure { get; private set; }

    /// <summary>TCP connections opened (1 when keep-alive held for the whole run).</summary>
    public int Connections { get; set; }

    public int Segments { get; private set; }

    public long SegmentBytes { get; private set; }

    /// <summary>Sum of the EXTINF of the segments downloaded.</summary>
    public double MediaMs { get; private set; }

    /// <summary>Segments that left the playlist before this viewer got to them.</summary>
    public long SkippedSegments { get; set; }

    public int MalformedSegments { get; private set; }

    public string? FirstMalformed { get; private set; }

    /// <summary>Segments whose first packet is not a PAT (RFC 8216 3.5 says SHOULD; not counted as malformed).</summary>
    public int NotStartingWithPat { get; set; }

    public LatencyHistogram SegmentTimes { get; } = new();

    /// <summary>From the start of the TCP connect to the first playlist in full; -1 if none.</summary>
    public double FirstPlaylistMs { get; set; } = -1;

    /// <summary>From the start of the TCP connect to the first segment in full; -1 if none.</summary>
    public double FirstSegmentMs { get; private set; } = -1;

    public int Stalls { get; private set; }

    public double StalledMs { get; private set; }

    public double LongestStallMs { get; private set; }

    /// <summary>
    /// The least media buffered when a segment arrived, over the segments of playlist reloads (the
    /// start-up burst from the first playlist would always give the first segment's length); -1 if none.
    /// </summary>
    public double LowestBufferMs { get; private set; } = -1;

    public bool Ended { get; set; }

    public void OnFailure(string what, HttpGetResult result)
    {
        if (result.TimedOut)
        {
            Timeouts++;
        }
        else if (result.Status is > 0 and not 200)
        {
            NonOkResponses++;
        }
        else
        {
            ConnectionErrors++;
        }
        FirstFailure ??= $"{what}: {result.Describe()}";
    }

    public void OnMalformed(string what)
    {
        MalformedSegments++;
        FirstMalformed ??= what;
    }

    /// <summary>A segment is in: <paramref name="now"/> is when its last byte arrived.</summary>
    public void OnSegment(long viewerStart, long now, long bytes, double downloadMs, double durationMs, bool startUp)
    {
        Segments++;
        SegmentBytes += bytes;
        SegmentTimes.Add(downloadMs);
        if (FirstSegmentMs < 0)
        {
            FirstSegmentMs = Stopwatch.GetElapsedTime(viewerStart, now).TotalMilliseconds;
            _playStart = now;
        }
        else
        {
            var buffer = Buffered(now);
            if (buffer < 0)
            {
                Stall(-buffer);
                buffer = 0;
            }
            if (!startUp)
            {
                LowestBufferMs = LowestBufferMs < 0 ? buffer : Math.Min(LowestBufferMs, buffer);
            }
        }
        MediaMs += durationMs;
    }

    /// <summary>The viewer stopped: a player that ran dry before then is rebuffering, which counts too.</summary>
    public void OnEnd(long now)
    {
        if (FirstSegmentMs >= 0 && Buffered(now) is var buffer && buffer < 0)
        {
            Stall(-buffer);
        }
    }

    private double Buffered(long now) => MediaMs - (Stopwatch.GetElapsedTime(_playStart, now).TotalMilliseconds - _waitedMs);

    private void Stall(double ms)
    {
        Stalls++;
        StalledMs += ms;
        LongestStallMs = Math.Max(LongestStallMs, ms);
        // The player waited this long, so its playhead is that much behind the wall clock.
        _waitedMs += ms;
    }
}
