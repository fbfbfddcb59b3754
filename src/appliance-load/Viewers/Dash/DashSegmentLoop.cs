using System.Diagnostics;
using System.Text;
using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Cmaf;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Dash;

/// <summary>
/// One track of a DASH player: its init, then each segment the MPD lists, in order, on one kept
/// connection. A segment still being made arrives chunked, a CMAF chunk (moof + mdat) per part as
/// it completes; each chunk is timed as its last byte arrives (<see cref="OnFragment"/>).
/// </summary>
internal sealed class DashSegmentLoop : IFragmentListener, IAsyncDisposable
{
    private const long MaxSegmentBytes = 256L << 20;
    private const long MaxInitBytes = 1 << 20;
    private const int FailuresToGiveUp = 3;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly StreamUrl _url;
    private readonly MpdContent _content;
    private readonly Published<Mpd> _mpds;
    private readonly ViewerStats _stats;
    private readonly CmafStats _cmaf;
    private readonly PartClock _clock;
    private readonly TimeSpan _timeout;
    private readonly HttpGetConnection _connection;
    private readonly RequestWriter _request;
    private readonly Fmp4FragmentReader _reader = new();
    private readonly ReusableBody _init = new();
    private readonly MediaGap _gap;
    private byte[] _initUri = [];
    private int _track = -1;
    private bool _isVideo;
    private long _segment;
    private bool _inProgress;
    private long _sentAt;

    public DashSegmentLoop(StreamUrl url, MpdContent content, Published<Mpd> mpds, ViewerStats stats, PartClock clock, TimeSpan timeout)
    {
        _url = url;
        _content = content;
        _mpds = mpds;
        _stats = stats;
        _cmaf = stats.Cmaf!;
        _clock = clock;
        _timeout = timeout;
        _connection = new HttpGetConnection(url, stats);
        _request = new RequestWriter(url, stats.Player);
        _gap = _cmaf.NewTrack();
    }

    private enum Step
    {
        Wait,
        Init,
        Segment,
        Ended,
        Refused,
    }

    public int Connects => _connection.Connects;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Fetches segments until a static MPD's last (which returns why) or <paramref name="stop"/> (which throws).</summary>
    public async Task<string> RunAsync(CancellationToken stop)
    {
        long next = -1, seen = 0;
        var failures = 0;
        await _mpds.WaitNewerAsync(0, stop).ConfigureAwait(false);
        while (true)
        {
            Step step;
            lock (_mpds.Lock)
            {
                seen = _mpds.Version;
                step = Decide(_mpds.Current, ref next);
            }
            switch (step)
            {
                case Step.Wait:
                    await _mpds.WaitNewerAsync(seen, stop).ConfigureAwait(false);
                    continue;
                case Step.Ended:
                    return "the MPD became static and its segments are all in";
                case Step.Refused:
                    return "a segment URI on another server, or a template with more than $Number$";
            }
            var result = step == Step.Init ? await FetchInitAsync(stop).ConfigureAwait(false) : await FetchSegmentAsync(next, stop).ConfigureAwait(false);
            if (result.Ok)
            {
                failures = 0;
                next += step == Step.Segment ? 1 : 0;
                continue;
            }
            _cmaf.OnFailure(step == Step.Init ? "init" : "segment", result);
            if (++failures >= FailuresToGiveUp)
            {
                return $"{(step == Step.Init ? "init" : "segment")}: {result.Describe()} {failures} times in a row";
            }
            if (step == Step.Segment && result.Status == 404)
            {
                // Gone, or not made: go on with the next, as a player skips a segment that failed.
                next++;
            }
            else
            {
                await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What to do next against <paramref name="mpd"/>, moving into its window as needed; writes the request.</summary>
    private Step Decide(Mpd mpd, ref long next)
    {
        if (mpd.Track(_content) is not { } track)
        {
            return mpd.Dynamic ? Step.Wait : Step.Ended;
        }
        if (mpd.MaxSegmentDurationMs > 0)
        {
            _gap.TargetDurationMs = mpd.MaxSegmentDurationMs;
        }
        var init = mpd.InitOf(track);
        if (!init.SequenceEqual(_initUri))
        {
            _initUri = init.ToArray();
            var resolved = _url.ResolveOnSameServer(Encoding.UTF8.GetString(_initUri));
            _track = resolved is null ? -1 : _clock.Track(resolved.Split('?')[0]);
            return _request.Write(_url.PathAndQuery, _initUri) is null ? Step.Init : Step.Refused;
        }
        var delayMs = mpd.SuggestedPresentationDelayMs >= 0 ? mpd.SuggestedPresentationDelayMs : 3 * Math.Max(mpd.MaxSegmentDurationMs, 1000);
        if (next < 0 || next > track.LastNumber + 2)
        {
            // The start, or numbering that went back (a new Period that starts over): from the delay behind the edge.
            next = track.NumberAt(delayMs);
        }
        if (next < track.StartNumber)
        {
            _cmaf.OnSkipped(track.StartNumber - next);
            next = track.StartNumber;
        }
        if (next > track.LastNumber)
        {
            return mpd.Dynamic ? Step.Wait : Step.Ended;
        }
        // A low-latency MPD lists the segment being made last; the others are complete.
        _inProgress = !track.AvailabilityTimeComplete && next == track.LastNumber;
        return _request.Write(_url.PathAndQuery, mpd.MediaOf(track), number: next) is null ? Step.Segment : Step.Refused;
    }

    private async Task<HttpGetResult> FetchInitAsync(CancellationToken stop)
    {
        _init.Clear();
        _cmaf.OnMediaRequest(hint: false);
        var result = await _connection.GetAsync(_request.Request, _init, MaxInitBytes, _timeout, stop).ConfigureAwait(false);
        if (result.Ok)
        {
            _isVideo = InitSegment.Handler(_init.Span) == "vide";
        }
        else
        {
            // Asked again at the next decision.
            _initUri = [];
        }
        return result;
    }

    private async Task<HttpGetResult> FetchSegmentAsync(long number, CancellationToken stop)
    {
        _cmaf.OnMediaRequest(hint: false);
        _segment = number;
        _reader.Begin(this, _isVideo ? _stats.Latency : null);
        _sentAt = Stopwatch.GetTimestamp();
        var result = await _connection.GetAsync(_request.Request, _reader, MaxSegmentBytes, _timeout, stop).ConfigureAwait(false);
        if (result.Ok)
        {
            if (_reader.End() is { } problem)
            {
                _cmaf.OnMalformed($"a segment {problem}");
            }
            else if (_reader.Fragments == 0)
            {
                _cmaf.OnMalformed("a segment without a moof and mdat");
            }
            _cmaf.OnMediaBody(result.BodyBytes, _reader.Fragments);
        }
        return result;
    }

    /// <summary>A chunk of the segment in flight is in (only a 200's body reaches the reader).</summary>
    public void OnFragment(int index, int samples)
    {
        var now = Stopwatch.GetTimestamp();
        if (_track >= 0)
        {
            _clock.Record(_track, _segment, index, HeldKind.Chunk, _sentAt, now, couldWait: _inProgress);
        }
        _gap.OnMedia(now);
        // A segment starts with a SAP (startWithSAP="1").
        _stats.OnSegmentMedia(_isVideo ? samples : 0, _isVideo && index == 0, now);
    }
}
