using Appliance.Relay.Urls;
using Appliance.Relay.Hosting;
using Appliance.Relay.Config;
using Appliance.Streaming.Logging;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Relay.Directory;
using Appliance.Relay.Pull;
using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay;

/// <summary>
/// The node's way back to the origin: upstream candidates per app with their measured health
/// (probed in the background), the optional stream directory, and the pulls, one per stream
/// however many viewers ask.
/// </summary>
public sealed class RelayManager : IAsyncDisposable, IPullHost
{
    private readonly RelayServices _node;
    private readonly StreamRegistry _streams;
    private readonly ILogger _logger;
    private volatile IReadOnlyList<RelayApp> _apps = [];
    private readonly Lock _pullsLock = new();
    private readonly Dictionary<StreamKey, UpstreamPull> _pulls = [];
    private readonly CandidateProber _prober;
    private readonly CancellationTokenSource _stop = new();
    private Task _alwaysLoop = Task.CompletedTask;

    /// <param name="apps">The apps of the running config; <see cref="Apply"/> replaces them on reload.</param>
    /// <param name="directory">The stream directory's settings: its connection is made once, so they take effect after a restart.</param>
    public RelayManager(RelayServices node, IReadOnlyList<RelayApp> apps, DirectoryConfig directory)
    {
        _node = node;
        _streams = node.Streams;
        _logger = node.Loggers.CreateLogger("relay");
        Routes = new UpstreamRoutes();
        Apply(apps);
        _prober = new CandidateProber(() => Routes.ProbeTargets, logger: _logger, connector: node.Connector, trust: () => node.Trust.Node);
        if (directory.Redis.Length > 0)
        {
            Directory = new StreamDirectory(directory, node.NodeId, node.Streams, node.Loggers.CreateLogger("directory"));
        }
    }

    public string NodeId => _node.NodeId;

    /// <summary>Where pulls count their bytes (listener "upstream").</summary>
    public TrafficTotals Traffic => _node.Traffic;

    /// <summary>How pulls connect to their upstreams.</summary>
    public TcpConnector Connector => _node.Connector;

    /// <summary>What outbound TLS trusts; <see cref="Apply"/> replaces the node's CAs.</summary>
    public OutboundTrust Trust => _node.Trust;

    /// <summary>Where pulls write the access line of each upstream session that fed a stream.</summary>
    public AccessLog AccessLog => _node.AccessLog;

    public UpstreamRoutes Routes { get; }

    /// <summary>Who hears when pulls start, fail over and end (the node's webhooks).</summary>
    public IPullEvents? PullEvents => _node.PullEvents;

    /// <summary>The stream directory on Redis; null when directory.redis is empty.</summary>
    public StreamDirectory? Directory { get; }

    public void Start()
    {
        _prober.Start();
        Directory?.Start();
        _alwaysLoop = KeepAlwaysPullsAsync();
    }

    /// <summary>
    /// Takes the apps of a (re)loaded config and rebuilds the candidate table; health of unchanged
    /// candidates is kept. <paramref name="nodeTrust"/> (read from tls.caFile) replaces the node's
    /// CAs first, so candidates and pushes use it from now on.
    /// </summary>
    public void Apply(IReadOnlyList<RelayApp> apps, Transport.Tls.TlsClientTrust? nodeTrust = null)
    {
        if (nodeTrust is not null)
        {
            Trust.Replace(nodeTrust);
        }
        _apps = apps;
        Routes.Update([.. apps.Where(a => a.Config.Upstreams.Count > 0).Select(a => new AppUpstreams(a.Domain, a.Name, a.Config.Upstreams))], Trust);
    }

    /// <summary>
    /// The stream a viewer asked for: the local one, one the node makes (a ladder's rung, see
    /// <see cref="IStreamMaker"/>), or (for an app with upstreams) one pulled for it. Concurrent
    /// viewers of a missing stream share one pull and all wait for its first media, up to the
    /// app's wait; null means 404 / StreamNotFound.
    /// </summary>
    public async ValueTask<LiveStream?> FindOrPullAsync(StreamKey key, string? query, string client)
    {
        if (_node.Maker is { } maker && _streams.FindForPlay(key) is null && maker.Makes(key))
        {
            // Made here from a stream published here: no parent has it.
            return await maker.MakeAsync(key, client).ConfigureAwait(false);
        }
        var app = AppOf(key);
        if (app is null)
        {
            return _streams.FindForPlay(key);
        }
        if (app.Upstreams.Count == 0 && _streams.FindForPlay(key) is null && !await InDirectoryAsync(key, app, query).ConfigureAwait(false))
        {
            // Nothing configured to ask and no node has it published: not found at once, rather
            // than a pull that waits (and holds the key a local publisher may be about to take).
            return _streams.FindForPlay(key);
        }
        UpstreamPull? pull;
        lock (_pullsLock)
        {
            var local = _streams.FindForPlay(key);
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
                    return _streams.FindForPlay(key);
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
        return _streams.FindForPlay(key) is { Source.IsPull: false } published ? published : null;
    }

    /// <summary>
    /// Whether a viewer of <paramref name="key"/> has to wait: for a pull (the stream is missing or
    /// its pull has not delivered yet), or for the node to make the stream (<see cref="IStreamMaker"/>).
    /// </summary>
    public bool MustWait(StreamKey key, LiveStream? stream) =>
        stream?.Source is UpstreamPull { Ready.IsCompleted: false } ||
        stream is null && AppOf(key) is { } app && CanPull(app) ||
        // A made stream that ended (its transcoder stopped when nobody watched) is made again, not replayed as ended.
        stream is null or { IsEnded: true } && _node.Maker?.Makes(key) == true;

    /// <summary>Whether the app fetches streams it does not have: from its upstreams, or from nodes the directory names.</summary>
    private bool CanPull(RelayAppConfig app) => app.Pull.Mode != "off" && (app.Upstreams.Count > 0 || UsesDirectory(app));

    private bool UsesDirectory(RelayAppConfig app) => Directory is not null && app.Pull.Directory;

    /// <summary>Whether the directory names another node for the stream (false without a directory, or while it is down).</summary>
    private async ValueTask<bool> InDirectoryAsync(StreamKey key, RelayAppConfig app, string? query) =>
        UsesDirectory(app) && app.Pull.Mode != "off" && await Directory!.LookupAsync(key, Via.Parse(query)).ConfigureAwait(false) is not null;

    /// <summary>
    /// The candidate the directory names for the stream, or null: no directory (or the app does not
    /// use it), no entry, Redis down, or an entry naming this node or one the request came through.
    /// A URL the app lists among its upstreams is that upstream (one health for both).
    /// </summary>
    public async ValueTask<RouteCandidate?> FindInDirectoryAsync(StreamKey key, IReadOnlyList<string> via)
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

    private RelayAppConfig? AppOf(StreamKey key)
    {
        foreach (var app in _apps)
        {
            if (app.Domain == key.Domain && app.Name == key.App)
            {
                return app.Config;
            }
        }
        return null;
    }

    private UpstreamPull? StartPullLocked(StreamKey key, RelayAppConfig app, IReadOnlyList<string> via)
    {
        var source = new PendingSource();
        if (_streams.TryPublish(key, app, source, out var stream) != PublishOutcome.Started)
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

    void IPullHost.OnPullEnded(UpstreamPull pull)
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
                foreach (var app in _apps)
                {
                    if (app.Config.Pull.Mode != "always" || !CanPull(app.Config))
                    {
                        continue;
                    }
                    foreach (var name in app.Config.Pull.Streams)
                    {
                        var key = new StreamKey(app.Domain, app.Name, name);
                        lock (_pullsLock)
                        {
                            if (!_pulls.ContainsKey(key) && _streams.FindForPlay(key) is null)
                            {
                                StartPullLocked(key, app.Config, []);
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
    private sealed class PendingSource : IStreamSource
    {
        public string Description => "pull (starting)";

        public bool IsPull => true;

        public bool RelaysTimeline => true;

        public void Kick(string reason)
        {
        }
    }
}
