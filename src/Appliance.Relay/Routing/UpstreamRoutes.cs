using Appliance.Relay.Urls;
using System.Collections.Concurrent;
using Appliance.Core.Time;
using Appliance.Streaming.Streams;

namespace Appliance.Relay.Routing;

/// <summary>
/// The node-wide table of upstream candidates per (domain, app), which candidate feeds which
/// stream, and the routes view. Rebuilt on config reload by <see cref="Update"/>: a candidate
/// whose canonical URL is unchanged keeps its measured health (apps listing the same URL share
/// it), so a reload does not forget which paths are bad. Thread-safe: readers see either the old
/// table or the new one.
/// </summary>
public sealed class UpstreamRoutes
{
    private readonly RouteSelector _selector = new();
    private readonly Func<long> _clock;
    private readonly ConcurrentDictionary<StreamKey, StreamChoice> _choices = new();
    private readonly Lock _updateGate = new();
    private volatile Table _table = Table.Empty;

    /// <param name="clock">Monotonic milliseconds; <see cref="MonotonicClock.NowMs"/> when null.</param>
    public UpstreamRoutes(Func<long>? clock = null)
    {
        _clock = clock ?? (static () => MonotonicClock.NowMs);
    }

    /// <summary>One candidate per distinct health (URL), for the <see cref="CandidateProber"/>.</summary>
    public IReadOnlyList<RouteCandidate> ProbeTargets => _table.ProbeTargets;

    /// <summary>
    /// Replaces the table. The lists must have passed config validation; an invalid URL or health
    /// URL throws <see cref="ArgumentException"/>, a CA file gone bad since
    /// <see cref="Transport.Tls.TlsCertificateException"/>, and the old table stays in place.
    /// </summary>
    /// <param name="trust">Whose CAs TLS candidates without a CA file of their own trust; the system store when null.</param>
    public void Update(IEnumerable<AppUpstreams> apps, OutboundTrust? trust = null)
    {
        trust ??= new OutboundTrust();
        lock (_updateGate)
        {
            var old = _table;
            var healths = new Dictionary<string, CandidateHealth>(StringComparer.Ordinal);
            var byApp = new Dictionary<string, Dictionary<string, RouteCandidate[]>>(StringComparer.OrdinalIgnoreCase);
            var targets = new List<RouteCandidate>();
            foreach (var app in apps)
            {
                var candidates = new RouteCandidate[app.Upstreams.Count];
                for (int i = 0; i < candidates.Length; i++)
                {
                    var config = app.Upstreams[i];
                    if (!UpstreamUrl.TryParse(config.Url, out var url, out var error))
                    {
                        throw new ArgumentException($"upstream {i} of {app.Domain}/{app.App}: url {error}", nameof(apps));
                    }
                    HealthUrl? healthUrl = null;
                    if (config.HealthUrl is not null && !HealthUrl.TryParse(config.HealthUrl, out healthUrl, out error))
                    {
                        throw new ArgumentException($"upstream {i} of {app.Domain}/{app.App}: healthUrl {error}", nameof(apps));
                    }
                    var tls = trust.For(url, config);
                    // A URL trusted differently (another CA file or pin) is another path: one may refuse what the other accepts.
                    var healthKey = tls is null ? url.ToString() : $"{url} {tls.Key}";
                    bool first = !healths.TryGetValue(healthKey, out var health);
                    if (first)
                    {
                        health = old.Healths.GetValueOrDefault(healthKey) ?? new CandidateHealth(HealthOptions.Default, _clock);
                        healths.Add(healthKey, health);
                    }
                    candidates[i] = new RouteCandidate(url, config.Weight, config.Priority, health, healthUrl, config.Name, tls);
                    if (first)
                    {
                        targets.Add(candidates[i]);
                    }
                }
                if (!byApp.TryGetValue(app.Domain, out var domainApps))
                {
                    byApp.Add(app.Domain, domainApps = new Dictionary<string, RouteCandidate[]>(StringComparer.Ordinal));
                }
                domainApps[app.App] = candidates;
            }
            _table = new Table(byApp, healths, targets.ToArray());
        }
    }

    /// <summary>The app's candidates in config order; empty when the app pulls from nowhere.</summary>
    public IReadOnlyList<RouteCandidate> Candidates(string domain, string app) => _table.Find(domain, app);

    /// <summary>The app's candidates in the order to try for this stream (see <see cref="RouteSelector"/>).</summary>
    public RouteCandidate[] Rank(StreamKey key)
    {
        var candidates = _table.Find(key.Domain, key.App);
        if (candidates.Length == 0)
        {
            return [];
        }
        var ranked = new RouteCandidate[candidates.Length];
        _selector.Rank(key, candidates, _clock(), ranked);
        return ranked;
    }

    /// <summary>
    /// Records that <paramref name="candidate"/> now feeds the stream; a change of candidate counts
    /// as a switch for the anti-flap interval. It may be one the stream directory named rather than
    /// a configured one: the routes view then lists it too.
    /// </summary>
    public void NoteChoice(StreamKey key, RouteCandidate candidate)
    {
        var candidateId = candidate.Id;
        long now = _clock();
        var choice = _choices.GetOrAdd(key, static _ => new StreamChoice());
        lock (choice)
        {
            if (choice.CandidateId is not null && choice.CandidateId != candidateId)
            {
                choice.Switches.NoteSwitch(now);
            }
            choice.CandidateId = candidateId;
            choice.Candidate = candidate;
        }
    }

    /// <summary>The stream no longer pulls (it ended, or has no viewers left).</summary>
    public void ClearChoice(StreamKey key) => _choices.TryRemove(key, out _);

    /// <summary>The candidate feeding the stream, or null (none noted, or it left the config).</summary>
    public RouteCandidate? CurrentChoice(StreamKey key)
    {
        if (!_choices.TryGetValue(key, out var choice))
        {
            return null;
        }
        string? id;
        lock (choice)
        {
            id = choice.CandidateId;
        }
        foreach (var candidate in _table.Find(key.Domain, key.App))
        {
            if (candidate.Id == id)
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether the stream's live route should be left for a clearly better one (see
    /// <see cref="RouteSelector.ShouldLeave"/>); true as well when its candidate left the config.
    /// False when no choice is noted. Call it periodically while the pull runs.
    /// </summary>
    public bool ShouldLeave(StreamKey key)
    {
        if (!_choices.TryGetValue(key, out var choice))
        {
            return false;
        }
        var current = CurrentChoice(key);
        if (current is null)
        {
            return true;
        }
        long now = _clock();
        var candidates = _table.Find(key.Domain, key.App);
        return _selector.ShouldLeave(choice.Switches, current, candidates, now);
    }

    /// <summary>Every candidate of every app with its health and the streams it feeds, for display.</summary>
    public IReadOnlyList<UpstreamRouteInfo> Snapshot()
    {
        var table = _table;
        long now = _clock();
        var feeds = new Dictionary<(string Domain, string App, string Id), List<string>>();
        // Candidates the directory named that the app does not list: shown after the configured ones.
        var unlisted = new Dictionary<(string Domain, string App, string Id), RouteCandidate>();
        foreach (var (key, choice) in _choices)
        {
            string? id;
            RouteCandidate? candidate;
            lock (choice)
            {
                id = choice.CandidateId;
                candidate = choice.Candidate;
            }
            if (id is null)
            {
                continue;
            }
            var at = (key.Domain.ToLowerInvariant(), key.App, id);
            if (!feeds.TryGetValue(at, out var names))
            {
                feeds.Add(at, names = []);
            }
            names.Add(key.Name);
            if (candidate is not null && !table.Find(key.Domain, key.App).Any(c => c.Id == id))
            {
                unlisted[(key.Domain, key.App, id)] = candidate;
            }
        }
        var rows = new List<UpstreamRouteInfo>();
        foreach (var (domain, apps) in table.ByApp)
        {
            foreach (var (app, candidates) in apps)
            {
                foreach (var candidate in candidates)
                {
                    var streams = feeds.GetValueOrDefault((domain.ToLowerInvariant(), app, candidate.Id));
                    streams?.Sort(StringComparer.Ordinal);
                    rows.Add(new UpstreamRouteInfo(
                        domain,
                        app,
                        candidate.Id,
                        candidate.Name,
                        ProtocolName(candidate.Url.Protocol),
                        candidate.Priority,
                        candidate.Weight,
                        candidate.HealthUrl?.ToString(),
                        candidate.Health.Snapshot(now),
                        streams is null ? [] : streams.ToArray()));
                }
            }
        }
        foreach (var ((domain, app, id), candidate) in unlisted.OrderBy(u => u.Key))
        {
            var streams = feeds[(domain.ToLowerInvariant(), app, id)];
            streams.Sort(StringComparer.Ordinal);
            rows.Add(new UpstreamRouteInfo(domain, app, id, candidate.Name, ProtocolName(candidate.Url.Protocol),
                candidate.Priority, candidate.Weight, candidate.HealthUrl?.ToString(), candidate.Health.Snapshot(now), streams.ToArray(), FromDirectory: true));
        }
        return rows;
    }

    private static string ProtocolName(UpstreamProtocol protocol) => protocol switch
    {
        UpstreamProtocol.Rtmp => "rtmp",
        UpstreamProtocol.Srt => "srt",
        _ => "http-flv",
    };

    /// <summary>What a stream is pulled from, and its switch history.</summary>
    private sealed class StreamChoice
    {
        public string? CandidateId { get; set; }

        /// <summary>The candidate itself when the pull noted it (it may be one the directory named, which no table holds).</summary>
        public RouteCandidate? Candidate { get; set; }

        public RouteSwitchState Switches { get; } = new();
    }

    /// <summary>An immutable generation of the table, swapped whole on update.</summary>
    private sealed class Table(
        Dictionary<string, Dictionary<string, RouteCandidate[]>> byApp,
        Dictionary<string, CandidateHealth> healths,
        RouteCandidate[] probeTargets)
    {
        public static readonly Table Empty = new(new(StringComparer.OrdinalIgnoreCase), new(StringComparer.Ordinal), []);

        public Dictionary<string, Dictionary<string, RouteCandidate[]>> ByApp { get; } = byApp;

        public Dictionary<string, CandidateHealth> Healths { get; } = healths;

        public RouteCandidate[] ProbeTargets { get; } = probeTargets;

        public RouteCandidate[] Find(string domain, string app) =>
            ByApp.TryGetValue(domain, out var apps) && apps.TryGetValue(app, out var candidates) ? candidates : [];
    }
}
