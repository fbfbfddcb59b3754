using Appliance.Node.Config;
using Appliance.Node.Tests.Support;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Renditions;

/// <summary>
/// A node whose "live" app groups cam, cam_240p and cam_144p (labels 240p, 144p), each published
/// at 25 fps with AAC and a keyframe every second (at <see cref="Rendition.KeyOffsetMs"/> past it
/// when told), with frames of its own size, so each has a bit rate of its own.
/// </summary>
internal sealed class RenditionsServer : IDisposable
{
    public RenditionsServer(Action<ApplianceConfig>? configure = null)
    {
        Server = new TestServer(config =>
        {
            config.Domains[0].Apps[0].Renditions.Labels = ["240p", "144p"];
            configure?.Invoke(config);
        });
    }

    public TestServer Server { get; }

    public Frames Frames { get; } = new();

    public Dictionary<string, Rendition> Published { get; } = [];

    /// <summary>Publishes <paramref name="name"/> from <paramref name="fromMs"/> up to <paramref name="untilMs"/>, headers first.</summary>
    public Rendition Publish(string name, int keySize, int interSize, long fromMs = 0, long untilMs = 9_000, long keyOffsetMs = 0)
    {
        var source = new TestSource($"publisher of {name}");
        Assert.Equal(PublishOutcome.Started, Server.Streams.TryPublish(new StreamKey("default", "live", name), Server.LiveApp, source, out var stream));
        stream.Publish(source, Frames.Metadata(fromMs));
        stream.Publish(source, Frames.AvcSequenceHeader(fromMs));
        stream.Publish(source, Frames.AacSequenceHeader(fromMs));
        var rendition = new Rendition(stream, source, keySize, interSize, keyOffsetMs) { PublishedMs = fromMs };
        Published[name] = rendition;
        PublishUntil(rendition, untilMs);
        return rendition;
    }

    /// <summary>Every rendition still published gets more media, up to <paramref name="untilMs"/>.</summary>
    public void PublishUntil(long untilMs)
    {
        foreach (var rendition in Published.Values.Where(r => !r.Stream.IsEnded))
        {
            PublishUntil(rendition, untilMs);
        }
    }

    /// <summary>The publisher of <paramref name="name"/> leaves: with no grace period its stream ends.</summary>
    public void Unpublish(string name)
    {
        var rendition = Published[name];
        rendition.Stream.DetachSource(rendition.Source);
        Published.Remove(name);
    }

    private void PublishUntil(Rendition rendition, long untilMs)
    {
        for (var ts = rendition.PublishedMs; ts < untilMs; ts += 40)
        {
            var key = (ts - rendition.KeyOffsetMs) % 1000 == 0;
            rendition.Stream.Publish(rendition.Source, key ? TsMedia.KeyFrame(Frames, ts, rendition.KeySize) : TsMedia.InterFrame(Frames, ts, rendition.InterSize));
            rendition.Stream.Publish(rendition.Source, TsMedia.Audio(Frames, ts + 20));
        }
        rendition.PublishedMs = Math.Max(rendition.PublishedMs, untilMs);
    }

    public HttpClientSide Client() => new(Server);

    public void Dispose() => Server.Dispose();

    internal sealed record Rendition(LiveStream Stream, TestSource Source, int KeySize, int InterSize, long KeyOffsetMs)
    {
        public long PublishedMs { get; set; }

        /// <summary>Where keyframes fall past each whole second from now on.</summary>
        public long KeyOffsetMs { get; set; } = KeyOffsetMs;
    }
}
