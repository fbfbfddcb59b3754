using Appliance.Core.Time;
using Appliance.Live.Media;
using Appliance.Live.Relay.Routing;
using Appliance.Live.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Relay.Pull;

/// <summary>
/// The source of a stream this node fetches from upstream. One per stream however many viewers:
/// it asks the best candidates in parallel (the first to deliver a frame wins), feeds the
/// stream while measuring the path (<see cref="PullMeter"/>), and when the upstream dies, stalls
/// or is clearly beaten by another candidate, moves to the next one; the stream rebases
/// timestamps, so viewers stay connected and see time go on.
/// </summary>
public sealed class UpstreamPull : IUpstreamSource
{
    // Candidates asked at once: enough that one dead parent costs no waiting, few enough that a
    // pull does not open a session on every parent.
    private const int ParallelAttempts = 2;

    // Headers and metadata an attempt may hold before its first frame: a bound on what a parent
    // that never sends a frame can make this node keep.
    private const int MaxOpeningMessages = 64;

    // How long the node the directory names is asked alone before configured candidates join the
    // race: it has the stream published, while a configured parent would most likely fetch it from
    // that same node (one more hop, and a pull there for nothing). Long enough for a healthy node
    // to deliver its first frame from its GOP cache; short enough that a hung one costs little.
    private const int DirectoryHeadStartMs = 500;

    private readonly RelayManager _relay;
    private readonly LiveStream _stream;
    private readonly IReadOnlyList<string> _via;
    private readonly string _query;
    private readonly Config.PullConfig _options;
    private readonly bool _always;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RouteCandidate? _current;
    private string? _kickReason;

    public UpstreamPull(RelayManager relay, LiveStream stream, IReadOnlyList<string> via, Config.PullConfig options, ILogger logger)
    {
        _relay = relay;
        _stream = stream;
        _via = via;
        _query = Via.Query(via, relay.NodeId);
        _options = options;
        _always = options.Mode == "always";
        _logger = logger;
    }

    public string Description => _current is { } current ? $"pull {current.Url}" : "pull (connecting)";

    public StreamKey Key => _stream.Key;

    public bool RelaysTimeline => true;

    public LiveStream Stream => _stream;

    public RouteCandidate? Current => _current;

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
                        PullLog.PullGaveUp(_logger, _stream.Key.ToString(), "no upstream candidate delivered the stream");
                        return;
                    }
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                    backoff = Math.Min(backoff * 2, _options.MaxRetryMs);
                    leaving = null;
                    continue;
                }
                backoff = _options.RetryMs;
                var candidate = attempt.Candidate;
                if (_current is not null && !ReferenceEquals(_current, candidate))
                {
                    PullLog.PullSwitched(_logger, _stream.Key.ToString(), _current.Url.ToString(), candidate.Url.ToString());
                }
                _current = candidate;
                PullLog.PullFlowing(_logger, _stream.Key.ToString(), candidate.Url.ToString());
                _relay.Routes.NoteChoice(_stream.Key, candidate);
                _ready.TrySetResult(true);
                var outcome = await FeedAsync(attempt, lastActive).ConfigureAwait(false);
                lastActive = outcome.LastActive;
                await attempt.Feed.DisposeAsync().ConfigureAwait(false);
                if (outcome.Idle)
                {
                    PullLog.PullIdle(_logger, _stream.Key.ToString(), _options.IdleMs);
                    return;
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
            _logger.LogError(ex, "pull of {Stream} failed", _stream.Key);
        }
        finally
        {
            _ready.TrySetResult(false);
            _relay.Routes.ClearChoice(_stream.Key);
            _relay.OnPullEnded(this);
            // A publisher that took the stream over from this pull keeps it going.
            _stream.EndFrom(this);
            PullLog.PullStopped(_logger, _stream.Key.ToString(), Volatile.Read(ref _kickReason) ?? "ended");
        }
    }

    /// <summary>An open upstream session and what it sent up to and including its first frame.</summary>
    private sealed record Attempt(RouteCandidate Candidate, UpstreamFeed Feed, MediaIngest Ingest, List<FeedMessage> Opening, bool FromDirectory)
    {
        public void ReleaseOpening()
        {
            foreach (var message in Opening)
            {
                message.Payload.Release();
            }
        }
    }

    /// <summary>
    /// Opens the best candidates (all but <paramref name="skip"/>) a few at a time, in parallel:
    /// the first one whose first audio or video frame arrives wins; the others are closed. The node
    /// the stream directory names comes first, with a short head start.
    /// </summary>
    private async Task<Attempt?> AcquireAsync(RouteCandidate? skip)
    {
        var found = await _relay.FindInDirectoryAsync(_stream.Key, _via).ConfigureAwait(false);
        var ranked = _relay.Routes.Rank(_stream.Key).Where(c => !ReferenceEquals(c, skip) && c.Id != found?.Id).ToList();
        RouteCandidate? lead = null;
        if (found is not null)
        {
            if (!ReferenceEquals(found, skip) || ranked.Count == 0)
            {
                lead = found;
            }
            else
            {
                // It just failed this pull: the others first this time.
                ranked.Add(found);
            }
        }
        else if (ranked.Count == 0 && skip is not null)
        {
            ranked.Add(skip);
        }
        var next = 0;
        using (var firstRound = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            var pending = new List<Task<Attempt?>>();
            if (lead is not null)
            {
                var early = OpenAsync(lead, firstRound.Token, fromDirectory: true);
                if (!lead.Health.IsDown(MonotonicClock.NowMs) && ranked.Count > 0)
                {
                    await Task.WhenAny(early, Task.Delay(DirectoryHeadStartMs, _stop.Token)).ConfigureAwait(false);
                }
                if (early.IsCompletedSuccessfully && early.Result is { } won)
                {
                    return won;
                }
                if (!early.IsCompleted)
                {
                    pending.Add(early);
                }
            }
            while (pending.Count < ParallelAttempts && next < ranked.Count)
            {
                pending.Add(OpenAsync(ranked[next++], firstRound.Token));
            }
            if (await RaceAsync(pending, firstRound).ConfigureAwait(false) is { } winner)
            {
                return winner;
            }
        }
        while (next < ranked.Count && !_stop.IsCancellationRequested)
        {
            using var cancelLosers = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var pending = ranked.Skip(next).Take(ParallelAttempts).Select(c => OpenAsync(c, cancelLosers.Token)).ToList();
            next += pending.Count;
            if (await RaceAsync(pending, cancelLosers).ConfigureAwait(false) is { } winner)
            {
                return winner;
            }
        }
        return null;
    }

    /// <summary>Waits for the attempts; the first that delivers wins and the others are cancelled, or closed if they delivered too.</summary>
    private static async Task<Attempt?> RaceAsync(List<Task<Attempt?>> pending, CancellationTokenSource cancelLosers)
    {
        Attempt? winner = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            var result = await done.ConfigureAwait(false);
            if (result is null)
            {
                continue;
            }
            if (winner is null)
            {
                winner = result;
                await cancelLosers.CancelAsync().ConfigureAwait(false);
            }
            else
            {
                result.ReleaseOpening();
                await result.Feed.DisposeAsync().ConfigureAwait(false);
            }
        }
        return winner;
    }

    /// <summary>Opens one candidate and waits for its first frame; null (and the candidate's health told) on failure.</summary>
    private async Task<Attempt?> OpenAsync(RouteCandidate candidate, CancellationToken ct, bool fromDirectory = false)
    {
        var health = candidate.Health;
        var clock = MonotonicClock.NowMs;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.ConnectTimeoutMs + _options.StallMs);
        UpstreamFeed? feed = null;
        var opening = new List<FeedMessage>();
        try
        {
            feed = candidate.Url.Protocol == UpstreamProtocol.Rtmp
                ? await RtmpUpstreamFeed.OpenAsync(candidate, _stream.Key.App, _stream.Key.Name, _query, deadline.Token).ConfigureAwait(false)
                : await HttpFlvUpstreamFeed.OpenAsync(candidate, _stream.Key.App, _stream.Key.Name, _query, deadline.Token).ConfigureAwait(false);
            health.RecordConnect(MonotonicClock.NowMs - clock);
            // The race is for the first frame, not the headers before it: headers come as fast over
            // a capped path as over a clean one, a keyframe behind a rate cap measurably later.
            do
            {
                opening.Add(await feed.ReadAsync(deadline.Token).ConfigureAwait(false)
                    ?? throw new UpstreamException("upstream ended the stream before any media"));
            }
            while (!opening[^1].IsMediaFrame && opening.Count < MaxOpeningMessages);
            health.RecordSuccess();
            return new Attempt(candidate, feed, new MediaIngest(_stream, this, _logger), opening, fromDirectory);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            foreach (var message in opening)
            {
                message.Payload.Release();
            }
            if (feed is not null)
            {
                await feed.DisposeAsync().ConfigureAwait(false);
            }
            if (ct.IsCancellationRequested)
            {
                // Lost the race to another candidate, or the pull stopped: not this candidate's fault.
                return null;
            }
            var reason = ex is OperationCanceledException ? $"no media within {_options.ConnectTimeoutMs + _options.StallMs} ms" : ex.Message;
            if (ex is UpstreamException { StreamMissing: true })
            {
                // The parent answered, it just lacks this stream: a healthy path for every other stream.
                health.RecordSuccess();
            }
            else
            {
                health.RecordFailure(reason);
            }
            PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), reason);
            return null;
        }
    }

    private readonly record struct FeedOutcome(bool Failed, bool Idle, long LastActive, bool Beaten = false);

    /// <summary>Feeds the stream until the upstream ends or stalls, the pull goes idle, or a better route is due.</summary>
    private async Task<FeedOutcome> FeedAsync(Attempt attempt, long lastActive)
    {
        var (candidate, feed, ingest, opening, fromDirectory) = attempt;
        var meter = new PullMeter(MonotonicClock.NowMs, feed.BytesReceived, hiccupMs: Math.Max(1, _options.StallMs / 2), jumpMs: _options.StallMs);
        for (var i = 0; i < opening.Count; i++)
        {
            meter.OnMessage(opening[i].TypeId, opening[i].Timestamp, MonotonicClock.NowMs);
            if (!Accept(ingest, opening[i]))
            {
                for (var j = i + 1; j < opening.Count; j++)
                {
                    opening[j].Payload.Release();
                }
                return new FeedOutcome(true, false, lastActive);
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
                candidate.Health.RecordStall();
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), $"no media for {_options.StallMs} ms");
                return new FeedOutcome(true, false, lastActive);
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
            {
                candidate.Health.RecordFailure(ex.Message);
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), ex.Message);
                return new FeedOutcome(true, false, lastActive);
            }
            if (next is not { } message)
            {
                candidate.Health.RecordFailure("upstream ended the stream");
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), "upstream ended the stream");
                return new FeedOutcome(true, false, lastActive);
            }
            var now = MonotonicClock.NowMs;
            var hiccup = meter.OnMessage(message.TypeId, message.Timestamp, now);
            if (!Accept(ingest, message))
            {
                return new FeedOutcome(true, false, lastActive);
            }
            if (hiccup)
            {
                // Short of a stall that fails the route, but a viewer noticed: it counts against the path.
                candidate.Health.RecordStall();
                PullLog.MediaLate(_logger, _stream.Key.ToString(), candidate.Url.ToString());
            }
            if (!meter.TryTakeSample(now, feed.BytesReceived, out var bytesPerSecond, out var mediaBytesPerSecond))
            {
                continue;
            }
            candidate.Health.RecordThroughput(bytesPerSecond, mediaBytesPerSecond);
            if (_stream.IsWatched)
            {
                lastActive = now;
            }
            else if (!_always && now - lastActive > _options.IdleMs)
            {
                return new FeedOutcome(false, true, lastActive);
            }
            // The node the directory named has the stream published: it is left when it fails, never
            // for a configured parent that looks better (which would most likely pull from it anyway).
            if (!fromDirectory && _relay.Routes.ShouldLeave(_stream.Key))
            {
                PullLog.AttemptFailed(_logger, _stream.Key.ToString(), candidate.Url.ToString(), "another candidate is clearly better; moving");
                return new FeedOutcome(false, false, lastActive, Beaten: true);
            }
        }
        return new FeedOutcome(false, false, lastActive);
    }

    private bool Accept(MediaIngest ingest, FeedMessage message)
    {
        try
        {
            ingest.Accept(message.TypeId, message.Timestamp, message.Payload);
            return true;
        }
        catch (MediaFormatException ex)
        {
            PullLog.AttemptFailed(_logger, _stream.Key.ToString(), _current?.Url.ToString() ?? "?", ex.Message);
            return false;
        }
    }
}
