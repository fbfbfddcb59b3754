using Appliance.Auth.Callback;
using Appliance.Node.Config;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Webhooks;

/// <summary>
/// The node's webhooks: for each app with URLs, the queues its events go to. A reload keeps the
/// queue of every URL whose settings did not change (events in it stay in order) and closes the
/// others once they have delivered what they hold.
/// </summary>
public sealed class WebhookHub : IAsyncDisposable
{
    /// <summary>How long the events still queued get when the node stops.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    // The outbound client the auth callback uses, made once: no redirects, pooled connections.
    private static readonly Lazy<HttpClient> Client = new(CallbackChecker.CreateHttpClient);

    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly Func<WebhookTargetSettings, IWebhookTransport> _transports;
    private Dictionary<WebhookTargetSettings, WebhookTarget> _targets = [];
    private volatile Dictionary<(string Domain, string App), AppWebhooks> _apps = [];
    private long _lastId;
    private bool _stopped;

    public WebhookHub(ApplianceConfig config, string nodeId, ILogger logger)
        : this(config, nodeId, logger, static settings => new HttpWebhookTransport(Client.Value, new Uri(settings.Url), settings.TimeoutMs))
    {
    }

    /// <param name="transports">How each URL is reached; tests record instead of POSTing.</param>
    internal WebhookHub(ApplianceConfig config, string nodeId, ILogger logger, Func<WebhookTargetSettings, IWebhookTransport> transports)
    {
        NodeId = nodeId;
        _logger = logger;
        _transports = transports;
        Apply(config);
    }

    /// <summary>The node's name in every event.</summary>
    public string NodeId { get; }

    public WebhookCounters Counters { get; } = new();

    /// <summary>Events waiting or in flight, over every URL.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _targets.Values.Sum(t => t.Pending);
            }
        }
    }

    /// <summary>The webhooks of an app, or null when it has none.</summary>
    public AppWebhooks? For(string domain, string app) => _apps.GetValueOrDefault((domain, app));

    /// <summary>The id of the next event: unique within this run of the node.</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Takes the webhooks of a (re)loaded config, which passed validation.</summary>
    public void Apply(ApplianceConfig config)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            var targets = new Dictionary<WebhookTargetSettings, WebhookTarget>();
            var apps = new Dictionary<(string Domain, string App), AppWebhooks>();
            foreach (var domain in config.Domains)
            {
                foreach (var app in domain.Apps)
                {
                    if (app.Webhooks.Urls.Count == 0)
                    {
                        continue;
                    }
                    var appTargets = new List<WebhookTarget>();
                    foreach (var url in app.Webhooks.Urls)
                    {
                        var settings = WebhookTargetSettings.Of(url, app.Webhooks);
                        if (!targets.TryGetValue(settings, out var target))
                        {
                            target = _targets.GetValueOrDefault(settings) ?? new WebhookTarget(settings, _transports(settings), Counters, _logger);
                            targets[settings] = target;
                        }
                        appTargets.Add(target);
                    }
                    apps[(domain.Name, app.Name)] = new AppWebhooks([.. appTargets], app.Webhooks.Events);
                }
            }
            foreach (var (settings, target) in _targets)
            {
                if (!targets.ContainsKey(settings))
                {
                    target.Close();
                }
            }
            _targets = targets;
            _apps = apps;
        }
    }

    /// <summary>Takes no more events and gives those queued up to <see cref="StopGrace"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        List<WebhookTarget> targets;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            targets = [.. _targets.Values];
            _apps = [];
        }
        await Task.WhenAll(targets.Select(t => t.StopAsync(StopGrace))).ConfigureAwait(false);
        foreach (var target in targets)
        {
            await target.DisposeAsync().ConfigureAwait(false);
        }
    }
}
