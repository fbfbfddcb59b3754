using System.Collections.Concurrent;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Streaming.Streams;

public enum PublishOutcome
{
    Started,
    Conflict,
}

/// <summary>All streams of this node, by key. A stream exists while it has a source or is in its grace period.</summary>
public sealed class StreamRegistry
{
    private readonly ConcurrentDictionary<StreamKey, LiveStream> _streams = new();

    // Ended streams stay reachable for HLS and CMAF this long, so players can fetch the playlist's end.
    private const int EndedHlsRetentionMs = 30_000;

    private readonly ConcurrentDictionary<StreamKey, LiveStream> _ended = new();
    private readonly ILogger _logger;

    public StreamRegistry(FrameSerializer serializer, ILogger? logger = null, SegmentCache? segments = null)
    {
        Serializer = serializer;
        _logger = logger ?? NullLogger.Instance;
        Segments = segments ?? new SegmentCache(512L * 1024 * 1024);
    }

    /// <summary>The keys of apps that encrypt HLS (from the node's secret); null when the node has none.</summary>
    public Packaging.Hls.HlsKeyring? HlsKeys { get; init; }

    /// <summary>The node-wide HLS segment accounting and counters.</summary>
    public SegmentCache Segments { get; }

    public FrameSerializer Serializer { get; }

    public ICollection<LiveStream> Streams => _streams.Values;

    /// <summary>
    /// A stream got a source, lost it, or ended (the stream directory registers published streams
    /// on it). Raised outside the stream's lock; handlers must be quick and must not throw.
    /// </summary>
    public event Action<LiveStream>? SourceChanged;

    public PublishOutcome TryPublish(StreamKey key, StreamingAppConfig app, IStreamSource source, out LiveStream stream)
    {
        while (true)
        {
            stream = _streams.GetOrAdd(key, static (k, state) => new LiveStream(k, state.app, state.registry.Serializer, state.registry.OnEnded, state.registry._logger, state.registry.Segments, state.registry.OnSourceChanged, state.registry.HlsKeys), (app, registry: this));
            if (stream.TryAttachSource(source, out _))
            {
                return PublishOutcome.Started;
            }
            if (!stream.IsEnded)
            {
                return PublishOutcome.Conflict;
            }
            // Lost a race with the end of the previous stream of this key: make a fresh one.
            _streams.TryRemove(new KeyValuePair<StreamKey, LiveStream>(key, stream));
        }
    }

    /// <summary>
    /// The stream a viewer asked for, or null (404 / StreamNotFound). This is the one place where
    /// an edge node will start an upstream pull for a stream it does not have.
    /// </summary>
    public LiveStream? FindForPlay(StreamKey key) =>
        _streams.TryGetValue(key, out var stream) && !stream.IsEnded ? stream : null;

    /// <summary>Streams of one app that have a source right now (for the app's publisher limit); a ladder's rungs are the node's, not publishers.</summary>
    public int CountPublishing(string domain, string app)
    {
        var count = 0;
        foreach (var (key, stream) in _streams)
        {
            if (key.Domain == domain && key.App == app && stream.Source is { IsTranscoded: false })
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>The stream whose HLS (TS or CMAF) or DASH a player asks for: the live one, or one that ended a moment ago.</summary>
    public LiveStream? FindForHls(StreamKey key)
    {
        if (_streams.TryGetValue(key, out var live) && !live.IsEnded)
        {
            return live;
        }
        return _ended.TryGetValue(key, out var ended) ? ended : null;
    }

    private void OnSourceChanged(LiveStream stream) => SourceChanged?.Invoke(stream);

    private void OnEnded(LiveStream stream)
    {
        _streams.TryRemove(new KeyValuePair<StreamKey, LiveStream>(stream.Key, stream));
        SourceChanged?.Invoke(stream);
        if (stream.HlsWindow is null && !stream.IsCmafPackaged)
        {
            return;
        }
        if (_ended.TryRemove(stream.Key, out var older) && !ReferenceEquals(older, stream))
        {
            older.DropHls();
            older.DropCmaf();
        }
        _ended[stream.Key] = stream;
        _ = Task.Delay(EndedHlsRetentionMs).ContinueWith(_ =>
        {
            if (_ended.TryRemove(new KeyValuePair<StreamKey, LiveStream>(stream.Key, stream)))
            {
                stream.DropHls();
                stream.DropCmaf();
            }
        }, TaskScheduler.Default);
    }
}
