using System.Collections.Concurrent;
using Appliance.Live.Config;
using Appliance.Live.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Live.Streams;

public enum PublishOutcome
{
    Started,
    Conflict,
}

/// <summary>All streams of this node, by key. A stream exists while it has a source or is in its grace period.</summary>
public sealed class StreamRegistry
{
    private readonly ConcurrentDictionary<StreamKey, LiveStream> _streams = new();

    private readonly ILogger _logger;

    public StreamRegistry(FrameSerializer serializer, ILogger? logger = null)
    {
        Serializer = serializer;
        _logger = logger ?? NullLogger.Instance;
    }

    public FrameSerializer Serializer { get; }

    public ICollection<LiveStream> Streams => _streams.Values;

    public int Count => _streams.Count;

    public PublishOutcome TryPublish(StreamKey key, AppConfig app, IStreamSource source, out LiveStream stream)
    {
        while (true)
        {
            stream = _streams.GetOrAdd(key, static (k, state) => new LiveStream(k, state.app, state.registry.Serializer, state.registry.OnEnded, state.registry._logger), (app, registry: this));
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

    private void OnEnded(LiveStream stream) =>
        _streams.TryRemove(new KeyValuePair<StreamKey, LiveStream>(stream.Key, stream));
}
