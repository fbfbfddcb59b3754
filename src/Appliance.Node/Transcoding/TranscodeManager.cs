using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appliance.Auth;
using Appliance.Core.Time;
using Appliance.Node.Config;
using Appliance.Relay.Hosting;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Transcoding;

/// <summary>
/// The node's transcoders, one per source stream with a ladder: started when a viewer asks for a
/// rung (as the relay's <see cref="IStreamMaker"/>, so the viewer waits for the rung like for an
/// on-demand pull) or, for "always" ladders, when the source is published; at most
/// transcode.maxConcurrent at once, the next one refused with a log line while its source plays on.
/// </summary>
public sealed class TranscodeManager : IStreamMaker, IAsyncDisposable
{
    /// <summary>How long a viewer of a rung waits for a new source's video header (its height decides the rungs).</summary>
    private const int SourceHeaderWaitMs = 5_000;

    /// <summary>How long a viewer of a rung waits for the rung's video after asking.</summary>
    private const int RungWaitMs = 15_000;

    /// <summary>A transcoder still ending when its rungs are asked for again is waited for this long.</summary>
    private const int StoppingWaitMs = 10_000;

    /// <summary>A refusal or a missing rung repeats with every request of a player: one line per source (and rung) per this long.</summary>
    private const long RepeatLogMs = 60_000;

    private const int StopAllMs = 10_000;

    private readonly Func<ApplianceConfig> _config;
    private readonly Lock _lock = new();
    private readonly Dictionary<StreamKey, Transcoder> _transcoders = [];
    private readonly Dictionary<string, long> _loggedMs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private ChildSpawner? _spawner;
    private IPEndPoint? _rtmp;
    private Task _alwaysLoop = Task.CompletedTask;
    private long _refusals;
    private int _disposed;

    /// <param name="config">The config in effect (reloads apply to the next decision and the next ffmpeg started).</param>
    public TranscodeManager(Func<ApplianceConfig> config, StreamRegistry streams, InternalPublishTokens tokens, ILogger logger)
    {
        _config = config;
        Streams = streams;
        Tokens = tokens;
        Logger = logger;
    }

    internal StreamRegistry Streams { get; }

    internal InternalPublishTokens Tokens { get; }

    internal ILogger Logger { get; }

    internal TranscoderTimings Timings { get; init; } = new();

    /// <summary>Transcoders refused by the cap since start.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Transcoders now (starting, running, restarting or still ending their ffmpeg).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _transcoders.Count;
            }
        }
    }

    /// <summary>Starts the "always" ladders' loop; rungs are published to <paramref name="rtmp"/>, the node's RTMP listener.</summary>
    public void Start(IPEndPoint rtmp)
    {
        _rtmp = rtmp;
        _alwaysLoop = KeepAlwaysLaddersAsync();
    }

    public bool Makes(StreamKey key) => Resolve(key, out _, out _, out _) is not null;

    public async ValueTask<LiveStream?> MakeAsync(StreamKey key, string client)
    {
        if (Resolve(key, out var app, out var sourceKey, out var label) is not { } source)
        {
            return null;
        }
        var height = await SourceHeightAsync(source).ConfigureAwait(false);
        if (height <= 0)
        {
            LogNoRung(sourceKey, label, client, "the source has no video header this node can read");
            return null;
        }
        var plan = LadderPlan.For(sourceKey, app.Ladder, height, app.MaxStreamNameLength);
        if (plan.Find(label) is null)
        {
            LogNoRung(sourceKey, label, client, plan.Skipped.First(s => s.Label == label).Reason);
            return null;
        }
        var transcoder = await GetOrStartAsync(source, client).ConfigureAwait(false);
        if (transcoder is null)
        {
            return null;
        }
        transcoder.NoteDemand();
        return await transcoder.WaitForRungAsync(label, RungWaitMs).ConfigureAwait(false);
    }

    /// <summary>Every transcoder now.</summary>
    public IReadOnlyList<TranscoderStatus> Snapshot()
    {
        List<Transcoder> transcoders;
        lock (_lock)
        {
            transcoders = [.. _transcoders.Values];
        }
        var snapshot = transcoders.ConvertAll(t => t.Snapshot());
        snapshot.Sort((a, b) => string.CompareOrdinal(a.Source.ToString(), b.Source.ToString()));
        return snapshot;
    }

    /// <summary>The source stream <paramref name="key"/> would be a rung of, when that source is published here and its app has the rung's label.</summary>
    private LiveStream? Resolve(StreamKey key, out AppConfig app, out StreamKey sourceKey, out string label)
    {
        sourceKey = default;
        label = "";
        app = AppOf(key)!;
        if (app is not { Ladder.Rungs.Count: > 0 } || !LadderPlan.TrySplit(key.Name, app.Ladder, out var sourceName, out label))
        {
            return null;
        }
        sourceKey = key with { Name = sourceName };
        return Streams.FindForPlay(sourceKey) is { Source: { IsPull: false, IsTranscoded: false } } source ? source : null;
    }

    internal AppConfig? AppOf(StreamKey key)
    {
        foreach (var domain in _config().Domains)
        {
            if (domain.Name != key.Domain)
            {
                continue;
            }
            foreach (var app in domain.Apps)
            {
                if (app.Name == key.App)
                {
                    return app;
                }
            }
        }
        return null;
    }

    private static async Task<int> SourceHeightAsync(LiveStream source)
    {
        var deadline = MonotonicClock.NowMs + SourceHeaderWaitMs;
        while (source.Stats.Height <= 0 && !source.IsEnded && MonotonicClock.NowMs < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
        return source.Stats.Height;
    }

    /// <summary>The source's transcoder: the running one, or a new one (null when the cap refuses it).</summary>
    private async Task<Transcoder?> GetOrStartAsync(LiveStream source, string client)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Transcoder? ending;
            lock (_lock)
            {
                if (!_transcoders.TryGetValue(source.Key, out ending))
                {
                    return TryStartLocked(source, client);
                }
                if (!ending.IsStopping)
                {
                    return ending;
                }
            }
            // It was stopping (idle) as the viewer came: a new one starts once its ffmpeg is gone.
            await Task.WhenAny(ending.Ended, Task.Delay(StoppingWaitMs)).ConfigureAwait(false);
        }
        return null;
    }

    private Transcoder? TryStartLocked(LiveStream source, string client)
    {
        var max = _config().Transcode.MaxConcurrent;
        if (_transcoders.Count >= max)
        {
            Interlocked.Increment(ref _refusals);
            if (ShouldLogLocked($"refused {source.Key}"))
            {
                TranscodeLog.Refused(Logger, source.Key.ToString(), client, _transcoders.Count, max);
            }
            return null;
        }
        var transcoder = new Transcoder(this, source);
        _transcoders[source.Key] = transcoder;
        transcoder.Start();
        return transcoder;
    }

    internal void OnStopped(Transcoder transcoder)
    {
        lock (_lock)
        {
            if (_transcoders.TryGetValue(transcoder.Source, out var current) && ReferenceEquals(current, transcoder))
            {
                _transcoders.Remove(transcoder.Source);
            }
        }
    }

    private void LogNoRung(StreamKey source, string label, string client, string reason)
    {
        lock (_lock)
        {
            if (!ShouldLogLocked($"no rung {source}/{label}"))
            {
                return;
            }
        }
        TranscodeLog.NoRung(Logger, source.ToString(), label, client, reason);
    }

    private bool ShouldLogLocked(string what)
    {
        var now = MonotonicClock.NowMs;
        if (_loggedMs.TryGetValue(what, out var at) && now - at < RepeatLogMs)
        {
            return false;
        }
        if (_loggedMs.Count > 10_000)
        {
            _loggedMs.Clear();
        }
        _loggedMs[what] = now;
        return true;
    }

    /// <summary>Where a source's rungs are published: the node's own RTMP listener, reached from this host, filed under the source's domain and app.</summary>
    internal RungTarget TargetFor(StreamKey source)
    {
        var rtmp = _rtmp ?? throw new InvalidOperationException("the transcoders were not started");
        var host = rtmp.Address switch
        {
            var any when any.Equals(IPAddress.Any) => "127.0.0.1",
            var any when any.Equals(IPAddress.IPv6Any) => "[::1]",
            { AddressFamily: AddressFamily.InterNetworkV6 } v6 => $"[{v6}]",
            var v4 => v4.ToString(),
        };
        return new RungTarget(host, rtmp.Port, source.Domain, source.App);
    }

    /// <summary>Starts ffmpeg with <paramref name="arguments"/> through setsid and setpriv, on the spawner's thread.</summary>
    internal Task<Process> StartChildAsync(IReadOnlyList<string> arguments)
    {
        var configured = _config().Transcode.FfmpegPath;
        var ffmpeg = Executables.Find(configured) ?? throw new InvalidOperationException($"'{configured}' (transcode.ffmpegPath) is not an executable file");
        var setsid = Executables.Find("setsid") ?? throw new InvalidOperationException("setsid (util-linux) is not on PATH");
        var setpriv = Executables.Find("setpriv") ?? throw new InvalidOperationException("setpriv (util-linux) is not on PATH");
        ChildSpawner spawner;
        lock (_lock)
        {
            spawner = _spawner ??= new ChildSpawner();
        }
        return spawner.StartAsync(ChildSpawner.Wrap(setsid, setpriv, ffmpeg, arguments));
    }

    /// <summary>Ladders with mode "always" transcode every source published in their app, checked once a second.</summary>
    private async Task KeepAlwaysLaddersAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                foreach (var stream in Streams.Streams)
                {
                    StartIfAlways(stream);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void StartIfAlways(LiveStream stream)
    {
        if (stream.Source is not { IsPull: false, IsTranscoded: false } || stream.Stats.Height <= 0 ||
            AppOf(stream.Key) is not { Ladder: { Mode: LadderModes.Always, Rungs.Count: > 0 } ladder } app)
        {
            return;
        }
        // A customer's own rendition ({stream}_{label} of a stream published here) is no source of another ladder.
        if (LadderPlan.TrySplit(stream.Key.Name, ladder, out var sourceName, out _) && Streams.FindForPlay(stream.Key with { Name = sourceName }) is not null)
        {
            return;
        }
        if (LadderPlan.For(stream.Key, ladder, stream.Stats.Height, app.MaxStreamNameLength).Rungs.Count == 0)
        {
            return;
        }
        lock (_lock)
        {
            if (!_transcoders.ContainsKey(stream.Key))
            {
                TryStartLocked(stream, "the always ladder");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _alwaysLoop.ConfigureAwait(false);
        List<Transcoder> transcoders;
        lock (_lock)
        {
            transcoders = [.. _transcoders.Values];
        }
        foreach (var transcoder in transcoders)
        {
            transcoder.Stop("the node stops");
        }
        await Task.WhenAny(Task.WhenAll(transcoders.Select(t => t.Ended)), Task.Delay(StopAllMs)).ConfigureAwait(false);
        _spawner?.Dispose();
        _stopping.Dispose();
    }
}
