using System.Diagnostics;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Cmaf;
using Appliance.Load.Viewers.Hls;
using Appliance.Load.Viewers.Ts;

namespace Appliance.Load.Viewers;

/// <summary>
/// What one viewer saw. Written only by that viewer's task (an LL-HLS or DASH player's loops add
/// bytes and frames atomically); the run reads it when the viewer is done (progress lines read it
/// on the way, where a slightly stale value is fine). Small on purpose: there may be a million of these.
/// </summary>
internal sealed class ViewerStats
{
    /// <summary>No media for this long is a stall.</summary>
    public const double StallMs = 2000;

    private long _bytes;
    private long _videoFrames;
    private long _lastMedia;
    private long _requestedAt;
    private double _longestGapMs;
    private double _longestPlayingGapMs;
    private long _longestPlayingGapEnd;
    private int _stalls;

    /// <param name="stamps">Read the publisher's latency stamps (<see cref="Latency"/>).</param>
    public ViewerStats(int target, StreamProtocol protocol, bool stamps = false)
    {
        Target = target;
        Protocol = protocol;
        if (stamps)
        {
            Latency = new GlassToGlass();
        }
        if (protocol is StreamProtocol.HttpTs or StreamProtocol.Hls)
        {
            // HTTP-TS: each PES start is media as it arrives; HLS: media comes a segment at a time.
            Ts = new TsPacketCounter(protocol == StreamProtocol.HttpTs ? this : null, Latency);
        }
        if (protocol == StreamProtocol.Hls)
        {
            Hls = new HlsStats();
        }
        if (protocol is StreamProtocol.LlHls or StreamProtocol.Dash)
        {
            Cmaf = new CmafStats { LowLatency = protocol == StreamProtocol.LlHls };
        }
    }

    /// <summary>The viewer's number in the run (LL-HLS and DASH players send it in their User-Agent).</summary>
    public int Player { get; init; }

    /// <summary>Index of the URL this viewer watches.</summary>
    public int Target { get; }

    public StreamProtocol Protocol { get; }

    /// <summary>HLS viewers only: requests, segments and the modelled player buffer.</summary>
    public HlsStats? Hls { get; }

    /// <summary>LL-HLS and DASH players only: requests, chunks, failures and gaps per track.</summary>
    public CmafStats? Cmaf { get; }

    /// <summary>Glass-to-glass latency from the publisher's stamps; null unless the run reads them.</summary>
    public GlassToGlass? Latency { get; }

    /// <summary>HTTP-TS and HLS viewers: the TS packets received.</summary>
    public TsPacketCounter? Ts { get; }

    public ViewerState State { get; private set; }

    /// <summary>Stopped by the run's churn before the run ended (it still counts as finished).</summary>
    public bool Churned { get; set; }

    public string? Error { get; private set; }

    public long StartedAt { get; private set; }

    public long EndedAt { get; private set; }

    /// <summary>Bytes received, protocol overhead included.</summary>
    public long Bytes
    {
        get => Volatile.Read(ref _bytes);
        set => Volatile.Write(ref _bytes, value);
    }

    /// <summary>HTTP viewers: from the start of the TCP connect to the first byte of the response; -1 if none.</summary>
    public double FirstByteMs { get; private set; } = -1;

    /// <summary>From the start of the TCP connect to the first complete media message or tag (HLS: segment); -1 if none.</summary>
    public double FirstMediaMs { get; private set; } = -1;

    /// <summary>From the start of the TCP connect to the first complete video keyframe; -1 if none.</summary>
    public double FirstKeyFrameMs { get; private set; } = -1;

    /// <summary>
    /// From the play request (RTMP: the play command queued; HTTP-FLV, HTTP-TS: the GET written) to
    /// the first complete video keyframe: the node's part of the first picture, without the connect
    /// and RTMP's handshake round trips; -1 if none or not asked.
    /// </summary>
    public double FirstKeyFrameAfterRequestMs => FirstKeyFrameMs < 0 || _requestedAt == 0
        ? -1
        : FirstKeyFrameMs - Stopwatch.GetElapsedTime(StartedAt, _requestedAt).TotalMilliseconds;

    public long VideoFrames => Volatile.Read(ref _videoFrames);

    /// <summary>
    /// Longest time without media, counting from the start and up to the end. HLS, where media
    /// comes in segments: the longest time the modelled player waited for one. LL-HLS and DASH:
    /// the longest time a track went without a new chunk once media flowed.
    /// </summary>
    public double LongestGapMs => Hls?.LongestStallMs ?? Cmaf?.LongestGapMs ?? _longestGapMs;

    /// <summary>
    /// Longest time without media once media flowed: between two media messages (or tags, or PES
    /// starts), or from the last one to the end, leaving out the wait for the first. HLS: as
    /// <see cref="LongestGapMs"/>.
    /// </summary>
    public double LongestPlayingGapMs => Hls?.LongestStallMs ?? Cmaf?.LongestGapMs ?? _longestPlayingGapMs;

    /// <summary>When <see cref="LongestPlayingGapMs"/> ended (a Stopwatch timestamp); 0 if none. Not kept for HLS, LL-HLS and DASH.</summary>
    public long LongestPlayingGapEndedAt => Hls is null && Cmaf is null ? _longestPlayingGapEnd : 0;

    /// <summary>Went <see cref="StallMs"/> without media; HLS: the modelled player ran out of media at least once.</summary>
    public bool Stalled => Stalls > 0;

    /// <summary>
    /// Times this viewer went <see cref="StallMs"/> or more without media (each such gap once);
    /// HLS: times the modelled player ran out of media. LL-HLS and DASH: times a track went more
    /// than a target duration without a new chunk.
    /// </summary>
    public int Stalls => Hls?.Stalls ?? Cmaf?.Stalls ?? _stalls;

    public void OnStart()
    {
        StartedAt = Stopwatch.GetTimestamp();
        _lastMedia = StartedAt;
        State = ViewerState.Connecting;
    }

    public void OnPlaying() => State = ViewerState.Playing;

    /// <summary>The play request leaves now (see <see cref="FirstKeyFrameAfterRequestMs"/>).</summary>
    public void OnRequest() => _requestedAt = Stopwatch.GetTimestamp();

    public void AddBytes(long count)
    {
        if (count > 0 && FirstByteMs < 0)
        {
            FirstByteMs = Stopwatch.GetElapsedTime(StartedAt).TotalMilliseconds;
        }
        Interlocked.Add(ref _bytes, count);
    }

    /// <summary>
    /// HLS: a segment with these frames is in (its arrival is no gap: the buffer model judges
    /// stalls). LL-HLS and DASH: a part or chunk (their tracks keep their own gaps).
    /// </summary>
    public void OnSegmentMedia(long videoFrames, bool keyFrame, long now)
    {
        var sinceStart = Stopwatch.GetElapsedTime(StartedAt, now).TotalMilliseconds;
        if (FirstMediaMs < 0)
        {
            FirstMediaMs = sinceStart;
        }
        if (keyFrame && FirstKeyFrameMs < 0)
        {
            FirstKeyFrameMs = sinceStart;
        }
        if (videoFrames > 0)
        {
            Interlocked.Add(ref _videoFrames, videoFrames);
        }
    }

    public void OnMedia(bool videoFrame, bool keyFrame)
    {
        var now = Stopwatch.GetTimestamp();
        NoteGap(now);
        _lastMedia = now;
        if (FirstMediaMs < 0)
        {
            FirstMediaMs = Stopwatch.GetElapsedTime(StartedAt, now).TotalMilliseconds;
        }
        if (videoFrame)
        {
            _videoFrames++;
            if (keyFrame && FirstKeyFrameMs < 0)
            {
                FirstKeyFrameMs = Stopwatch.GetElapsedTime(StartedAt, now).TotalMilliseconds;
            }
        }
    }

    /// <summary>The viewer stopped: because the run ended (<paramref name="error"/> null) or because of <paramref name="error"/>.</summary>
    public void OnEnd(string? error, bool runOver)
    {
        EndedAt = Stopwatch.GetTimestamp();
        NoteGap(EndedAt);
        if (State == ViewerState.Connecting)
        {
            State = ViewerState.Failed;
            Error = error ?? "the run ended while connecting";
        }
        else if (error is not null && !runOver)
        {
            State = ViewerState.Dropped;
            Error = error;
        }
        else
        {
            State = ViewerState.Finished;
        }
    }

    private void NoteGap(long now)
    {
        var gap = Stopwatch.GetElapsedTime(_lastMedia, now).TotalMilliseconds;
        if (gap >= StallMs)
        {
            _stalls++;
        }
        if (gap > _longestGapMs)
        {
            _longestGapMs = gap;
        }
        if (FirstMediaMs >= 0 && gap > _longestPlayingGapMs)
        {
            _longestPlayingGapMs = gap;
            _longestPlayingGapEnd = now;
        }
    }
}
