using Appliance.Relay.Urls;
using Appliance.Core.Time;
using Appliance.Streaming.Ingest;
using Appliance.Relay.Routing;

namespace Appliance.Relay.Pull;

// Finding a source: the candidates raced for the first frame.
public sealed partial class UpstreamPull
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

    /// <summary>An open upstream session (opened at <paramref name="OpenedMs"/>) and what it sent up to and including its first frame.</summary>
    private sealed record Attempt(RouteCandidate Candidate, UpstreamFeed Feed, MediaIngest Ingest, List<FeedMessage> Opening, bool FromDirectory, long OpenedMs)
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

    /// <summary>The attempt's ingest, its clock placed at the parent's media time when the parent said it.</summary>
    private MediaIngest Ingest(UpstreamFeed feed, RouteCandidate candidate)
    {
        var ingest = new MediaIngest(_stream, this, _logger);
        if (feed.MediaTimeMs is { } mediaTimeMs)
        {
            ingest.StartNear(mediaTimeMs);
        }
        else if (feed.MediaTimeProblem is { } problem)
        {
            PullLog.MediaTimeIgnored(_logger, _stream.Key.ToString(), candidate.Url.ToString(), problem);
        }
        return ingest;
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
            feed = candidate.Url.Protocol switch
            {
                UpstreamProtocol.Rtmp => await RtmpUpstreamFeed.OpenAsync(candidate, _stream.Key.App, _stream.Key.Name, _query, _relay.Traffic, _relay.Connector, _relay.Trust.Node, _options.ConnectTimeoutMs, deadline.Token).ConfigureAwait(false),
                UpstreamProtocol.Srt => await SrtUpstreamFeed.OpenAsync(candidate, _stream.Key.App, _stream.Key.Name, _query, _relay.Traffic, _relay.Connector, _options.ConnectTimeoutMs, _logger, deadline.Token).ConfigureAwait(false),
                _ => await HttpFlvUpstreamFeed.OpenAsync(candidate, _stream.Key.App, _stream.Key.Name, _query, _relay.Traffic, _relay.Connector, _relay.Trust.Node, _options.ConnectTimeoutMs, deadline.Token).ConfigureAwait(false),
            };
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
            return new Attempt(candidate, feed, Ingest(feed, candidate), opening, fromDirectory, clock);
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
}
