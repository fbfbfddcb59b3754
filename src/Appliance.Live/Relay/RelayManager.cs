using Appliance.Live.Config;
using Appliance.Live.Logging;
using Appliance.Live.ControlSocket.Contract;
using Appliance.Live.Relay.Directory;
using Appliance.Live.Relay.Pull;
using Appliance.Live.Relay.Routing;
using Appliance.Live.Server;
using Appliance.Live.Sessions;
using Appliance.Live.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Relay;

/// <summary>
/// The node's way back to the origin: upstream candidates per app with their measured health
/// (probed in the background), the optional stream directory, and the pulls, one per stream
/// however many viewers ask.
/// </summary>
public sealed class RelayManager : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly ILogger _logger;
    private readonly Lock _pullsLock = new();
    private readonly Dictionary<StreamKey, UpstreamPull> _pulls = [];
    private readonly CandidateProber _prober;
    private readonly CancellationTokenSource _stop = new();
    private Task _alwaysLoop = Task.CompletedTask;

    public RelayManager(ServerContext context)
    {
        _context = context;
        _logger = context.Loggers.CreateLogger("relay");
        Routes = new UpstreamRoutes();
        Apply(context.Config);
        _prober = new CandidateProber(() => Routes.ProbeTargets, logger: _logger);
        // The directory's connection is made once: its settings take effect after a restart.
        if (context.Config.Directory.Redis.Length > 0)
        {
            Directory = new StreamDirectory(context.Config.Directory, context.NodeId, context.Streams, context.Loggers.CreateLogger("directory"));
        }
    }

    public string NodeId => _context.NodeId;

    /// <summary>Where pulls count their bytes (listener "upstream").</summary>
    internal TrafficTotals Traffic => _context.Traffic;

    /// <summary>Where pulls write the access line of each upstream session that fed a stream.</summary>
    internal AccessLog AccessLog => _context.AccessLog;

    public UpstreamRoutes Routes { get; }

    /// <summary>The stream directory on Redis; null when directory.redis is empty.</summary>
    public StreamDirectory? Directory { get; }

    /// <summary>Pulls running now (for stats and tests: one per stream).</summary>
    public int PullCount
    {
        get
        {
            lock (_pullsLock)
            {
                return _pulls.Count;
            }
        }
    }

    public void Start()
    {
        _prober.Start();
        Directory?.Start();
        _alwaysLoop = KeepAlwaysPullsAsync();
    }

    /// <summary>Rebuilds the candidate table from a (re)loaded config; health of unchanged candidates is kept.</summary>
    public void Apply(ApplianceConfig config)
    {
        var apps = new List<AppUpstreams>();
        foreach (var domain in config.Domains)
        {
            foreach (var app in domain.Apps)
            {
                if (app.Upstreams.Count > 0)
                {
                    apps.Add(new AppUpstreams(domain.Name, app.Name, app.Upstreams));
                }
            }
        }
        Routes.Update(apps);
    }

    /// <summary>
    /// The stream a viewer asked for: the local one, or (for an app with upstreams) one pulled for
    /// it. Concurrent viewers of a missing stream share one pull and all wait for its first media,
    /// up to the app's wait; null means 404 / StreamNotFound.
    /// </summary>
    public async ValueTask<LiveStream?> FindOrPullAsync(StreamKey key, string? query, string client)
    {
        var app = AppOf(key);
        if (app is null)
        {
            return _context.Streams.FindForPlay(key);
        }
        if (app.Upstreams.Count == 0 && _context.Streams.FindForPlay(key) is null && !await InDirectoryAsync(key, app, query).ConfigureAwait(false))
        {
            // Nothing configured to ask and no node has it published: not found at once, rather
            // than a pull that waits (and holds the key a local publisher may be about to take).
            return _context.Streams.FindForPlay(key);
        }
        UpstreamPull? pull;
        lock (_pullsLock)
        {
            var local = _context.Streams.FindForPlay(key);
            if (local is not null && local.Source is not UpstreamPull)
            {
                return local;
            }
            if (local is null && !CanPull(app))
            {
                return null;
            }
            // A request that already passed through this node must not join, or start, a pull here:
            // that pull may itself be waiting for the request's sender.
            var via = Via.Parse(query);
            var refusal = Via.Refusal(via, NodeId, app.Pull.MaxHops);
            if (refusal is not null)
            {
                PullLog.PullRefused(_logger, key.ToString(), client, refusal);
                return null;
            }
            if (local?.Source is UpstreamPull existing)
            {
                pull = existing;
            }
            else
            {
                pull = StartPullLocked(key, app, via);
                if (pull is null)
                {
                    return _context.Streams.FindForPlay(key);
                }
            }
        }
        // The pull decides within its wait; this bound only guards the viewer against a pull that hangs.
        await Task.WhenAny(pull.Ready, Task.Delay(app.Pull.WaitMs + app.Pull.ConnectTimeoutMs + app.Pull.StallMs)).ConfigureAwait(false);
        if (pull.Ready.IsCompletedSuccessfully && pull.Ready.Result)
        {
            return pull.Stream;
        }
        // A publisher may have taken the stream over from the pull before it delivered.
        return _context.Streams.FindForPlay(key) is { Source: not null and not IUpstreamSource } published ? published : null;
    }

    /// <summary>Whether a viewer of <paramref name="key"/> has to wait for a pull (the stream is missing or its pull has not delivered yet).</summary>
    public bool MustWait(StreamKey key, LiveStream? stream) =>
        stream?.Source is UpstreamPull { Ready.IsCompleted: false } || stream is null && AppOf(key) is { } app && CanPull(app);

    /// <summary>Whether the app fetches streams it does not have: from its upstreams, or from nodes the directory names.</summary>
    private bool CanPull(AppConfig app) => app.Pull.Mode != "off" && (app.Upstreams.Count > 0 || UsesDirectory(app));

    private bool UsesDirectory(AppConfig app) => Directory is not null && app.Pull.Directory;

    /// <summary>Whether the directory names another node for the stream (false without a directory, or while it is down).</summary>
    private async ValueTask<bool> InDirectoryAsync(StreamKey key, AppConfig app, string? query) =>
        UsesDirectory(app) && app.Pull.Mode != "off" && await Directory!.LookupAsync(key, Via.Parse(query)).ConfigureAwait(false) is not null;

    /// <summary>
    /// The candidate the directory names for the stream, or null: no directory (or the app does not
    /// use it), no entry, Redis down, or an entry naming this node or one the request came through.
    /// A URL the app lists among its upstreams is that upstream (one health for both).
    /// </summary>
    internal async ValueTask<RouteCandidate?> FindInDirectoryAsync(StreamKey key, IReadOnlyList<string> via)
    {
        if (Directory is not { } directory || AppOf(key) is not { } app || !UsesDirectory(app))
        {
            return null;
        }
        var entry = await directory.LookupAsync(key, via).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }
        var id = entry.Url.ToString();
        foreach (var candidate in Routes.Candidates(key.Domain, key.App))
        {
            if (candidate.Id == id)
            {
                return candidate;
            }
        }
        return directory.Candidates.For(entry);
    }

    private AppConfig? AppOf(StreamKey key)
    {
        foreach (var domain in _context.Config.Domains)
        {
            if (domain.Name == key.Domain)
            {
                foreach (var app in domain.Apps)
                {
                    if (app.Name == key.App)
                    {
                        return app;
                    }
                }
            }
        }
        return null;
    }

    private UpstreamPull? StartPullLocked(StreamKey key, AppConfig app, IReadOnlyList<string> via)
    {
        var source = new PendingSource();
        if (_context.Streams.TryPublish(key, app, source, out var stream) != PublishOutcome.Started)
        {
            // A publisher got here first: the stream is local after all.
            return null;
        }
        var pull = new UpstreamPull(this, stream, via, app.Pull, _logger);
        if (!stream.ReplaceSource(source, pull))
        {
            // A publisher took the stream over in the instant since: it is local after all.
            return null;
        }
        _pulls[key] = pull;
        PullLog.PullStarted(_logger, key.ToString(), string.Join(",", via));
        _ = pull.RunAsync();
        return pull;
    }

    internal void OnPullEnded(UpstreamPull pull)
    {
        lock (_pullsLock)
        {
            if (_pulls.TryGetValue(pull.Key, out var current) && ReferenceEquals(current, pull))
            {
                _pulls.Remove(pull.Key);
            }
        }
    }

    /// <summary>Apps with pull mode "always" keep their listed streams pulled, restarting them when they end.</summary>
    private async Task KeepAlwaysPullsAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                foreach (var domain in _context.Config.Domains)
                {
                    foreach (var app in domain.Apps)
                    {
                        if (app.Pull.Mode != "always" || !CanPull(app))
                        {
                            continue;
                        }
                        foreach (var name in app.Pull.Streams)
                        {
                            var key = new StreamKey(domain.Name, app.Name, name);
                            lock (_pullsLock)
                            {
                                if (!_pulls.ContainsKey(key) && _context.Streams.FindForPlay(key) is null)
                                {
                                    StartPullLocked(key, app, []);
                                }
                            }
                        }
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Each candidate with its figures and the streams it feeds, for `appliancectl routes` and /api/routes.</summary>
    public List<RouteReport> Report()
    {
        var reports = new List<RouteReport>();
        foreach (var info in Routes.Snapshot())
        {
            reports.Add(RouteReports.From(info));
        }
        return reports;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _alwaysLoop.ConfigureAwait(false);
        await _prober.DisposeAsync().ConfigureAwait(false);
        List<UpstreamPull> pulls;
        lock (_pullsLock)
        {
            pulls = [.. _pulls.Values];
        }
        foreach (var pull in pulls)
        {
            pull.Kick("server stopping");
        }
        if (Directory is not null)
        {
            await Directory.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    /// <summary>Holds a new stream's key for the instant between creating it and attaching its pull (a pull already: never registered in the directory).</summary>
    private sealed class PendingSource : IUpstreamSource
    {
        public string Description => "pull (starting)";

        public bool RelaysTimeline => true;

        public void Kick(string reason)
        {
        }
    }
}
