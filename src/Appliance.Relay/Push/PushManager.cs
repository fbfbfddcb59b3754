using Appliance.Relay.Urls;
using Appliance.Relay.Hosting;
using Appliance.Relay.Config;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Streams;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Push;

/// <summary>
/// The push method: every stream published here, in an app with push targets, is forwarded to
/// each target for as long as the stream lives (a republish within the grace period keeps the
/// same forwarders). Pulled streams are not pushed: they already come from the upper tier.
/// </summary>
public sealed class PushManager : IAsyncDisposable
{
    private readonly string _nodeId;
    private readonly TrafficTotals _traffic;
    private readonly AccessLog _accessLog;
    private readonly TcpConnector _connector;
    private readonly Routing.OutboundTrust _trust;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<LiveStream, List<(PushForwarder Forwarder, Task Run)>> _active = [];
    private bool _stopped;

    public PushManager(RelayServices node)
    {
        _nodeId = node.NodeId;
        _traffic = node.Traffic;
        _accessLog = node.AccessLog;
        _connector = node.Connector;
        _trust = node.Trust;
        _logger = node.Loggers.CreateLogger("push");
    }

    /// <summary>
    /// Why a publish that came through <paramref name="via"/> (a push from other nodes) must be
    /// refused here (it would loop back, or has gone too far), or null.
    /// </summary>
    public string? Refusal(IReadOnlyList<string> via, int maxHops) => Via.Refusal(via, _nodeId, maxHops);

    /// <summary>Starts forwarding a stream that a publisher has just started (or taken over) here, in an app with <paramref name="app"/>'s keys.</summary>
    public void OnPublished(LiveStream stream, RelayAppConfig app, IReadOnlyList<string> via)
    {
        var targets = app.Push;
        if (targets.Count == 0)
        {
            return;
        }
        var nodeQuery = Via.Query(via, _nodeId);
        lock (_lock)
        {
            if (_stopped || _active.ContainsKey(stream))
            {
                return;
            }
            var forwarders = new List<(PushForwarder, Task)>(targets.Count);
            foreach (var config in targets)
            {
                // Targets were validated with the config; one that no longer parses is skipped rather than fatal.
                if (!UpstreamUrl.TryParse(config.Url, out var target, out _))
                {
                    continue;
                }
                var forwarder = new PushForwarder(stream, target, config, nodeQuery, app.Pull, _traffic, _accessLog, _connector, _trust, _logger);
                forwarders.Add((forwarder, RunAsync(forwarder)));
            }
            _active[stream] = forwarders;
        }
    }

    private async Task RunAsync(PushForwarder forwarder)
    {
        await Task.Yield();
        await forwarder.RunAsync().ConfigureAwait(false);
        lock (_lock)
        {
            if (_active.TryGetValue(forwarder.Stream, out var list))
            {
                list.RemoveAll(entry => ReferenceEquals(entry.Forwarder, forwarder));
                if (list.Count == 0)
                {
                    _active.Remove(forwarder.Stream);
                }
            }
        }
    }

    /// <summary>The push targets of one stream with their state, for `appliancectl streams`.</summary>
    public List<PushTargetState> Report(LiveStream stream)
    {
        lock (_lock)
        {
            return _active.TryGetValue(stream, out var list) ? list.ConvertAll(entry => entry.Forwarder.State) : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> runs = [];
        lock (_lock)
        {
            _stopped = true;
            foreach (var list in _active.Values)
            {
                foreach (var (forwarder, run) in list)
                {
                    forwarder.Stop();
                    runs.Add(run);
                }
            }
        }
        await Task.WhenAll(runs).ConfigureAwait(false);
    }
}
