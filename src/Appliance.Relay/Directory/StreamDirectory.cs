using Appliance.Core.Time;
using Appliance.Relay.Config;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Appliance.Relay.Directory;

/// <summary>
/// The optional stream directory on Redis. Streams published here are registered as
/// <c>stream key -> "node-id url"</c> with a TTL renewed in the background (one pipelined batch
/// per round) and removed when their publisher leaves; pulls ask it where a stream is before
/// they ask the configured upstreams. Redis being down never blocks anything: a lookup costs at
/// most <c>lookupTimeoutMs</c> (nothing at all while the connection is known to be down),
/// registration waits for the background reconnect, and pulls fall back to their upstreams.
/// </summary>
public sealed class StreamDirectory : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(1);

    private const long FailureLogIntervalMs = 60_000;

    private readonly DirectoryConfig _config;
    private readonly RedisAddress _address;
    private readonly AdvertiseUrl? _advertise;
    private readonly string _nodeId;
    private readonly StreamRegistry _streams;
    private readonly ILogger _logger;
    private readonly DirectoryRegistrar? _registrar;
    private readonly TimeSpan _lookupTimeout;
    private readonly long _refreshMs;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    // A Redis that stays down for hours: the first failure in full, then a count a minute.
    private readonly RepeatedLog _registerLog;
    private readonly RepeatedLog _lookupLog;
    private volatile ConnectionMultiplexer? _redis;
    private volatile bool _connected;
    private volatile bool _syncFailing;
    private volatile bool _fullSyncDue = true;
    private Task _loop = Task.CompletedTask;

    /// <param name="config">A validated, enabled directory section (directory.redis set).</param>
    public StreamDirectory(DirectoryConfig config, string nodeId, StreamRegistry streams, ILogger logger)
    {
        if (!RedisAddress.TryParse(config.Redis, out _address, out var error))
        {
            throw new ArgumentException($"directory.redis {error}", nameof(config));
        }
        if (config.Advertise.Length > 0 && !AdvertiseUrl.TryParse(config.Advertise, out _advertise, out error))
        {
            throw new ArgumentException($"directory.advertise {error}", nameof(config));
        }
        _config = config;
        _nodeId = nodeId;
        _streams = streams;
        _logger = logger;
        _registerLog = new RepeatedLog(logger, LogLevel.Warning, "directory", "registering streams failed", FailureLogIntervalMs);
        _lookupLog = new RepeatedLog(logger, LogLevel.Warning, "directory", "lookups failed", FailureLogIntervalMs);
        _lookupTimeout = TimeSpan.FromMilliseconds(config.LookupTimeoutMs);
        // Three renewals per TTL: an entry survives two lost rounds.
        _refreshMs = Math.Max(config.TtlMs / 3, 1);
        if (_advertise is not null)
        {
            _registrar = new DirectoryRegistrar(config.KeyPrefix, nodeId, _advertise, TimeSpan.FromMilliseconds(config.TtlMs), streams, logger);
        }
    }

    /// <summary>The Redis server, host:port.</summary>
    public string Redis => _address.ToString();

    /// <summary>Connected, and the last registration round (if any) went through.</summary>
    public bool IsUp => _connected && _redis is { IsConnected: true } && !_syncFailing;

    /// <summary>Streams of this node registered in the directory as of the last successful round.</summary>
    public int Registered => _registrar?.Count ?? 0;

    /// <summary>Candidates for URLs the directory names that no app lists among its upstreams.</summary>
    internal DirectoryCandidates Candidates { get; } = new();

    public void Start()
    {
        _streams.SourceChanged += OnSourceChanged;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Where <paramref name="key"/> is published, or null: no entry, Redis down or slower than
    /// the lookup timeout, an entry that is not valid (logged), or one naming this node or a node
    /// the request already came through.
    /// </summary>
    public async ValueTask<DirectoryEntry?> LookupAsync(StreamKey key, IReadOnlyList<string> via)
    {
        var redis = _redis;
        if (redis is null || !redis.IsConnected)
        {
            return null;
        }
        string? text;
        try
        {
            var get = redis.GetDatabase().StringGetAsync(DirectoryEntry.KeyOf(_config.KeyPrefix, key));
            try
            {
                text = await get.WaitAsync(_lookupTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Observe(get);
                throw;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (_lookupLog.ShouldLog())
            {
                DirectoryLog.LookupFailed(_logger, key.ToString(), ex is TimeoutException ? $"no answer within {_config.LookupTimeoutMs} ms" : ex.Message);
            }
            return null;
        }
        _lookupLog.Flush();
        if (text is null)
        {
            return null;
        }
        if (!DirectoryEntry.TryParse(text, out var entry, out var problem))
        {
            DirectoryLog.BadEntry(_logger, key.ToString(), problem, Printable(text));
            return null;
        }
        if (string.Equals(entry.Node, _nodeId, StringComparison.OrdinalIgnoreCase) || _advertise?.For(key.App) == entry.Url.ToString())
        {
            DirectoryLog.Ignored(_logger, key.ToString(), entry.Node, "it names this node");
            return null;
        }
        foreach (var node in via)
        {
            if (string.Equals(node, entry.Node, StringComparison.OrdinalIgnoreCase))
            {
                DirectoryLog.Ignored(_logger, key.ToString(), entry.Node, "the request already came through that node (a loop)");
                return null;
            }
        }
        DirectoryLog.Found(_logger, key.ToString(), entry.Node, entry.Url.ToString());
        return entry;
    }

    private void OnSourceChanged(LiveStream stream) => Wake();

    /// <summary>Runs a registration round now (a stream was published or unpublished, or Redis came back).</summary>
    private void Wake()
    {
        if (_registrar is null)
        {
            return;
        }
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A round is already due.
        }
        catch (ObjectDisposedException)
        {
            // Stopping: an event raised just before the handler was removed.
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var redis = await ConnectAsync().ConfigureAwait(false);
            var db = redis.GetDatabase();
            long lastFull = long.MinValue;
            while (!_stop.IsCancellationRequested)
            {
                var now = MonotonicClock.NowMs;
                if (_registrar is not null && redis.IsConnected)
                {
                    var full = _fullSyncDue || lastFull == long.MinValue || now - lastFull >= _refreshMs;
                    await SyncAsync(db, full).ConfigureAwait(false);
                    if (full && !_syncFailing)
                    {
                        lastFull = now;
                    }
                }
                // Wait for a publish or unpublish, the next renewal, or (while failing) a retry.
                var waitMs = _syncFailing || !redis.IsConnected || lastFull == long.MinValue ? 1000 : Math.Max(0, lastFull + _refreshMs - MonotonicClock.NowMs);
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(waitMs), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "directory: stopped working");
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { _address.Host, _address.Port } },
            // Start without Redis and keep reconnecting in the background: the directory is optional.
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            AsyncTimeout = 2000,
            SyncTimeout = 2000,
            // While disconnected a command fails at once instead of queueing: a lookup must not wait for Redis to come back.
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(500, 10_000),
            KeepAlive = 5,
            ClientName = "appliance-" + _nodeId,
        };
        var redis = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        _redis = redis;
        if (redis.IsConnected)
        {
            _connected = true;
            DirectoryLog.Connected(_logger, Redis);
        }
        else
        {
            DirectoryLog.Disconnected(_logger, Redis, "no connection at start");
        }
        if (_stop.IsCancellationRequested)
        {
            throw new OperationCanceledException(_stop.Token);
        }
        return redis;
    }

    private async Task SyncAsync(IDatabase db, bool full)
    {
        try
        {
            await _registrar!.SyncAsync(db, full, TimeSpan.FromMilliseconds(Math.Min(_refreshMs, 2000))).ConfigureAwait(false);
            if (_syncFailing)
            {
                _syncFailing = false;
                _registerLog.Flush();
                DirectoryLog.RegisterRecovered(_logger, _registrar.Count);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _syncFailing = true;
            _fullSyncDue = true;
            if (_registerLog.ShouldLog())
            {
                DirectoryLog.RegisterFailed(_logger, ex is TimeoutException ? "Redis did not answer in time" : ex.Message);
            }
            return;
        }
        if (full)
        {
            _fullSyncDue = false;
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Reported per connection and per retry: log the change from up to down once.
        if (e.ConnectionType == ConnectionType.Interactive && _connected)
        {
            _connected = false;
            DirectoryLog.Disconnected(_logger, Redis, e.Exception?.Message ?? e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive)
        {
            return;
        }
        if (!_connected)
        {
            _connected = true;
            DirectoryLog.Connected(_logger, Redis);
        }
        // A restarted Redis may have lost every entry: write them all again now.
        _fullSyncDue = true;
        Wake();
    }

    /// <summary>Control characters and over-long values from Redis must not reach the log as they are.</summary>
    private static string Printable(string text)
    {
        var cut = text.Length > 200 ? text[..200] + "..." : text;
        return string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        _streams.SourceChanged -= OnSourceChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        var redis = _redis;
        if (redis is not null)
        {
            if (_registrar is not null && redis.IsConnected)
            {
                try
                {
                    // A node that stops cleanly leaves no entries for others to try in vain.
                    await _registrar.RemoveAllAsync(redis.GetDatabase(), StopTimeout).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    DirectoryLog.RegisterFailed(_logger, "removing this node's entries on stop: " + ex.Message);
                }
            }
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
            await redis.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
        _wake.Dispose();
    }
}
