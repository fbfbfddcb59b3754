using Appliance.Relay.Logging;
using Appliance.Relay.Urls;
using Appliance.Core.Time;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Ingest;
using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Pull;

/// <summary>
/// The source of a stream this node fetches from upstream. One per stream however many viewers:
/// it asks the best candidates in parallel (the first to deliver a frame wins), feeds the
/// stream while measuring the path (<see cref="PullMeter"/>), and when the upstream dies, stalls
/// or is clearly beaten by another candidate, moves to the next one; the stream rebases
/// timestamps, so viewers stay connected and see time go on.
/// </summary>
public sealed partial class UpstreamPull : IStreamSource
{
    private readonly IPullHost _relay;
    private readonly LiveStream _stream;
    private readonly IReadOnlyList<string> _via;
    private readonly string _query;
    private readonly Config.PullConfig _options;
    private readonly bool _always;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // A parent whose timestamps jump with every message would make a line per message.
    private readonly RepeatedLog _lateLog;
    private volatile RouteCandidate? _current;
    private string? _kickReason;

    // For the pull's webhooks, kept by its own loop only: since when it feeds the stream, and the
    // bytes of the upstream sessions that fed it.
    private long _flowingSinceMs;
    private long _bytesIn;
    private long _bytesOut;

    internal UpstreamPull(IPullHost relay, LiveStream stream, IReadOnlyList<string> via, Config.PullConfig options, ILogger logger)
    {
        _relay = relay;
        _stream = stream;
        _via = via;
        _query = Via.Query(via, relay.NodeId);
        _options = options;
        _always = options.Mode == "always";
        _logger = logger;
        _lateLog = new RepeatedLog(logger, LogLevel.Debug, $"pull {stream.Key}", "media came late or with a gap");
    }

    public string Description => _current is { } current ? $"pull {current.Url}" : "pull (connecting)";

    public StreamKey Key => _stream.Key;

    public bool IsPull => true;

    public bool RelaysTimeline => true;

    public LiveStream Stream => _stream;

    /// <summary>True once media flows; false when no candidate could deliver within the wait.</summary>
    public Task<bool> Ready => _ready.Task;

    public void Kick(string reason)
    {
        Interlocked.CompareExchange(ref _kickReason, reason, null);
        _stop.Cancel();
    }

    public Task RunAsync() => Task.Run(RunLoopAsync);

    private async Task RunLoopAsync()
    {
        var started = MonotonicClock.NowMs;
        var backoff = _options.RetryMs;
        RouteCandidate? leaving = null;
        var lastActive = MonotonicClock.NowMs;
        var endReason = "pull stopped";
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var attempt = await AcquireAsync(leaving).ConfigureAwait(false);
                if (attempt is null)
                {
                    var now = MonotonicClock.NowMs;
                    var flowedBefore = _ready.Task.IsCompleted;
                    if (!_always && (!flowedBefore && now - started >= _options.WaitMs || flowedBefore && !_stream.IsWatched && now - lastActive > _options.IdleMs))
                    {
                        endReason = "no upstream candidate delivered the stream";
                        PullLog.PullGaveUp(_logger, _stream.Key.ToString(), endReason);
                        return;
                    }
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                    backoff = Math.Min(backoff * 2, _options.MaxRetryMs);
                    leaving = null;
                    continue;
                }
                backoff = _options.RetryMs;
                var candidate = attempt.Candidate;
                if (_current is null)
                {
                    _flowingSinceMs = MonotonicClock.NowMs;
                    _relay.PullEvents?.Started(_stream.Key, candidate.Url.ToString());
                }
                else if (!ReferenceEquals(_current, candidate))
                {
                    PullLog.PullSwitched(_logger, _stream.Key.ToString(), _current.Url.ToString(), candidate.Url.ToString());
                    _relay.PullEvents?.FailedOver(_stream.Key, _current.Url.ToString(), candidate.Url.ToString(), endReason);
                }
                _current = candidate;
                PullLog.PullFlowing(_logger, _stream.Key.ToString(), candidate.Url.ToString());
                _relay.Routes.NoteChoice(_stream.Key, candidate);
                _ready.TrySetResult(true);
                var outcome = new FeedOutcome(true, false, lastActive, "internal error");
                try
                {
                    outcome = await FeedAsync(attempt, lastActive).ConfigureAwait(false);
                }
                finally
                {
                    await EndAttemptAsync(attempt, outcome).ConfigureAwait(false);
                }
                lastActive = outcome.LastActive;
                endReason = outcome.Reason;
                if (outcome.Idle)
                {
                    PullLog.PullIdle(_logger, _stream.Key.ToString(), _options.IdleMs);
                    return;
                }
                if (_stop.IsCancellationRequested)
                {
                    break;
                }
                // A route that failed, or that a clearly better one beats, is not raced against the
                // others again at once: racing it could keep the stream on it.
                leaving = outcome.Failed || outcome.Beaten ? candidate : null;
                // Another parent of the same origin stream carries the same timestamps: the timeline
                // goes on; anything else is moved to where viewers are.
                _stream.Rebase(this, mayContinue: true);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            endReason = "internal error";
            _logger.LogError(ex, "pull of {Stream} failed", _stream.Key);
        }
        finally
        {
            // Before the stream ends: ending it kicks this pull with "stream ended", which is not why.
            var reason = Volatile.Read(ref _kickReason) ?? endReason;
            _ready.TrySetResult(false);
            _relay.Routes.ClearChoice(_stream.Key);
            _relay.OnPullEnded(this);
            // A publisher that took the stream over from this pull keeps it going.
            _stream.EndFrom(this);
            PullLog.PullStopped(_logger, _stream.Key.ToString(), Volatile.Read(ref _kickReason) ?? "ended");
            if (_current is { } last)
            {
                _relay.PullEvents?.Ended(_stream.Key, last.Url.ToString(), reason, _bytesIn, _bytesOut, MonotonicClock.NowMs - _flowingSinceMs);
            }
        }
    }

    /// <summary>How feeding from one upstream session ended, and why (for its access line).</summary>
    private readonly record struct FeedOutcome(bool Failed, bool Idle, long LastActive, string Reason, bool Beaten = false);

    private string StopReason => Volatile.Read(ref _kickReason) ?? "pull stopped";

    /// <summary>Closes the session that fed the stream and writes its access line (proto pull-rtmp, pull-rtmps, pull-flv, pull-https-flv or pull-srt).</summary>
    private async Task EndAttemptAsync(Attempt attempt, FeedOutcome outcome)
    {
        await attempt.Feed.DisposeAsync().ConfigureAwait(false);
        _bytesIn += attempt.Feed.BytesReceived;
        _bytesOut += attempt.Feed.BytesSent;
        var url = attempt.Candidate.Url;
        RelayAccessLine.Write(_relay.AccessLog, (url.Protocol, url.IsTls) switch
        {
            (UpstreamProtocol.Rtmp, false) => "pull-rtmp",
            (UpstreamProtocol.Rtmp, true) => "pull-rtmps",
            (UpstreamProtocol.Srt, _) => "pull-srt",
            (_, false) => "pull-flv",
            _ => "pull-https-flv",
        }, url, _stream.Key, outcome.Failed, attempt.Feed, attempt.OpenedMs, outcome.Reason);
    }

    /// <summary>Feeds the stream until the upstream ends or stalls, the pull goes idle, or a better route is due.</summary>
    private async Task<FeedOutcome> FeedAsync(Attempt attempt, long lastActive)
    {
        var (candidate, feed, ingest, opening, fromDirectory, _) = attempt;
        var meter = new PullMeter(MonotonicClock.NowMs, feed.BytesReceived, hiccupMs: Math.Max(1, _options.StallMs / 2), jumpMs: _options.StallMs);
        for (var i = 0; i < opening.Count; i++)
        {
            meter.OnMessage(opening[i].TypeId, opening[i].Timestamp, MonotonicClock.NowMs);
            if (Accept(ingest, opening[i]) is { } refused)
            {
                for (var j = i + 1; j < opening.Count; j++)
                {
                    opening[j].Payload.Release();
                }
                return new FeedOutcome(true, false, lastActive, refused);
            }
        }
        // One stall timer per upstream session, pushed forward before each read (not one per frame).
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        while (!_stop.IsCancellationRequested)
        {
            FeedMessage? next;
            stall.CancelAfter(_options.StallMs);
            try
            {
                next = await feed.ReadAsync(stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                var stalled = $"no media for {_options.StallMs} ms";
                candidate.Health.RecordStall();
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), stalled);
                return new FeedOutcome(true, false, lastActive, stalled);
            }
            catch (OperationCanceledException)
            {
                return new FeedOutcome(false, false, lastActive, StopReason);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                candidate.Health.RecordFailure(ex.Message);
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), ex.Message);
                return new FeedOutcome(true, false, lastActive, ex.Message);
            }
            if (next is not { } message)
            {
                const string ended = "upstream ended the stream";
                candidate.Health.RecordFailure(ended);
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), ended);
                return new FeedOutcome(true, false, lastActive, ended);
            }
            var now = MonotonicClock.NowMs;
            var hiccup = meter.OnMessage(message.TypeId, message.Timestamp, now);
            if (Accept(ingest, message) is { } refused)
            {
                return new FeedOutcome(true, false, lastActive, refused);
            }
            if (hiccup)
            {
                // Short of a stall that fails the route, but a viewer noticed: it counts against the path.
                candidate.Health.RecordStall();
                if (_lateLog.ShouldLog())
                {
                    PullLog.MediaLate(_logger, _stream.Key.ToString(), candidate.Url.ToString());
                }
            }
            if (!meter.TryTakeSample(now, feed.BytesReceived, out var bytesPerSecond, out var mediaBytesPerSecond))
            {
                continue;
            }
            candidate.Health.RecordThroughput(bytesPerSecond, mediaBytesPerSecond);
            if (feed is SrtUpstreamFeed srt && srt.TryTakeLinkSample(out var link))
            {
                // SRT measures its own path: RTT from its ACKs, loss from its sequence numbers.
                candidate.Health.RecordLink(link.RttMs, link.LossRatio, link.RetransmitRatio);
            }
            if (_stream.IsWatched)
            {
                lastActive = now;
            }
            else if (!_always && now - lastActive > _options.IdleMs)
            {
                return new FeedOutcome(false, true, lastActive, $"no viewer for {_options.IdleMs} ms");
            }
            // The node the directory named has the stream published: it is left when it fails, never
            // for a configured parent that looks better (which would most likely pull from it anyway).
            if (!fromDirectory && _relay.Routes.ShouldLeave(_stream.Key))
            {
                const string beaten = "another candidate is clearly better; moving";
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), beaten);
                return new FeedOutcome(false, false, lastActive, beaten, Beaten: true);
            }
        }
        return new FeedOutcome(false, false, lastActive, StopReason);
    }

    /// <summary>Feeds one message to the stream; null, or why the upstream's media cannot be taken.</summary>
    private string? Accept(MediaIngest ingest, FeedMessage message)
    {
        try
        {
            ingest.Accept(message.TypeId, message.Timestamp, message.Payload);
            return null;
        }
        catch (MediaFormatException ex)
        {
            PullLog.AttemptFailed(_logger, _stream.Key.ToString(), _current?.Url.ToString() ?? "?", ex.Message);
            return ex.Message;
        }
    }
}
