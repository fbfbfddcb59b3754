using Appliance.Relay.Config;
using Appliance.Streaming.Media;
using Appliance.Relay.Directory;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Tests.Directory;

/// <summary>A stream registry and a <see cref="StreamDirectory"/> on it, against a real redis-server, with the log kept.</summary>
internal sealed class DirectoryHarness : IAsyncDisposable
{
    private readonly LoggerFactory _loggers;
    private bool _disposed;

    public DirectoryHarness(string redis, string nodeId = "upper-b", string advertise = "rtmp://10.1.2.3:1935", int ttlMs = 15_000, int lookupTimeoutMs = 200)
    {
        Logs = new LogCollector();
        _loggers = new LoggerFactory([Logs]);
        Streams = new StreamRegistry(new FrameSerializer(4096));
        Config = new DirectoryConfig { Redis = redis, Advertise = advertise, TtlMs = ttlMs, LookupTimeoutMs = lookupTimeoutMs, KeyPrefix = $"t{Guid.NewGuid():N}:" };
        Directory = new StreamDirectory(Config, nodeId, Streams, _loggers.CreateLogger("directory"));
    }

    public RelayAppConfig App { get; } = new() { PublisherGraceMs = 0 };

    public DirectoryConfig Config { get; }

    public LogCollector Logs { get; }

    public StreamRegistry Streams { get; }

    public StreamDirectory Directory { get; }

    public static StreamKey Key(string name) => new("default", "live", name);

    /// <summary>The Redis key of a stream of "default/live".</summary>
    public string RedisKey(string name) => DirectoryEntry.KeyOf(Config.KeyPrefix, Key(name));

    /// <summary>Publishes "default/live/{name}" from a local publisher (or, with <paramref name="source"/>, from that).</summary>
    public (LiveStream Stream, IStreamSource Source) Publish(string name, IStreamSource? source = null, RelayAppConfig? app = null)
    {
        source ??= new TestSource();
        Assert.Equal(PublishOutcome.Started, Streams.TryPublish(Key(name), app ?? App, source, out var stream));
        return (stream, source);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await Directory.DisposeAsync();
        _loggers.Dispose();
    }
}
