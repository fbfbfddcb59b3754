using Appliance.Codecs.Flv;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;

namespace Appliance.Tests.Support;

/// <summary>One stream in a registry, fed by a test source, with viewers whose Collect the test drives.</summary>
internal sealed class StreamHarness
{
    /// <param name="app">The app the stream is created under (a relay's, say); a plain one by default.</param>
    /// <param name="relays">The first source relays another node's copy (a pull, a push from a node).</param>
    public StreamHarness(Action<StreamingAppConfig>? configure = null, StreamingAppConfig? app = null, bool relays = false)
    {
        App = app ?? new StreamingAppConfig();
        configure?.Invoke(App);
        Registry = new StreamRegistry(new FrameSerializer(4096));
        Source = new TestSource("first publisher", relays);
        Assert.Equal(PublishOutcome.Started, Registry.TryPublish(Key, App, Source, out var stream));
        Stream = stream;
    }

    public static StreamKey Key { get; } = new("default", "live", "cam");

    public StreamingAppConfig App { get; }

    public StreamRegistry Registry { get; }

    public TestSource Source { get; }

    public LiveStream Stream { get; }

    public Frames Frames { get; } = new();

    public void Publish(MediaFrame frame) => Stream.Publish(Source, frame);

    /// <summary>What an encoder sends first: metadata and both sequence headers, at 0.</summary>
    public void PublishHeaders()
    {
        Publish(Frames.Metadata(0));
        Publish(Frames.AvcSequenceHeader(0));
        Publish(Frames.AacSequenceHeader(0));
    }

    /// <summary>A keyframe at <paramref name="start"/>, then inter frames every 40 ms up to <paramref name="end"/>.</summary>
    public void PublishGop(long start, long end)
    {
        Publish(Frames.KeyFrame(start));
        for (var ts = start + 40; ts <= end; ts += 40)
        {
            Publish(Frames.InterFrame(ts));
        }
    }

    public Subscription Subscribe(WireFormat format = WireFormat.Flv) =>
        Stream.Subscribe(new ConnectionWriter(new RecordingSink()), format) ?? throw new InvalidOperationException("stream ended");

    /// <summary>One Collect, with the FLV tags it produced.</summary>
    public (CollectResult Result, List<ParsedTag> Tags) Collect(Subscription subscription)
    {
        var batch = new OutputBatch();
        try
        {
            var result = Stream.Collect(subscription, batch);
            return (result, FlvTags.Parse(batch));
        }
        finally
        {
            batch.ReleaseAll();
        }
    }

    public static bool IsSequenceHeader(ParsedTag tag) =>
        tag.Type is FlvTagType.Video or FlvTagType.Audio && tag.Payload.Length > 1 && tag.Payload[1] == 0;

    public static bool IsKeyFrame(ParsedTag tag) =>
        tag.Type == FlvTagType.Video && tag.Payload[0] >> 4 == 1 && tag.Payload[1] == 1;
}
