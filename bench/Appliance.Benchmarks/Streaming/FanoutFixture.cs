using Appliance.Core.Buffers;
using Appliance.Node.Config;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// A live stream with a publisher and N viewers over in-memory sinks, fed like an encoder feeds
/// one: metadata and sequence headers first, then 25 fps video of about 20 KB per frame with a
/// keyframe every 50 frames (2 s).
/// </summary>
internal sealed class FanoutFixture
{
    public const int FrameSize = 20 * 1024;
    private const int FrameDurationMs = 40;
    private const int GopFrames = 50;

    private static int s_streams;

    private readonly BenchSource _source = new();
    private readonly byte[] _keyFrame = VideoPayload(0x17, FrameSize);
    private readonly byte[] _interFrame = VideoPayload(0x27, FrameSize);
    private long _frames;

    public FanoutFixture(int viewers, WireFormat format)
    {
        var app = new AppConfig { Name = "live", FlushIntervalMs = 0 };
        Registry = new StreamRegistry(new FrameSerializer(rtmpChunkSize: 4096));
        var key = new StreamKey("default", "live", "bench" + Interlocked.Increment(ref s_streams));
        if (Registry.TryPublish(key, app, _source, out var stream) != PublishOutcome.Started)
        {
            throw new InvalidOperationException("Could not publish the benchmark stream.");
        }
        Stream = stream;
        Stream.Publish(_source, MediaFrame.Create(FrameKind.Video, 0, FrameFlags.SequenceHeader | FrameFlags.KeyFrame,
            SharedBuffer.CopyOf([0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x00, 0x01, 0x00, 0x00])));
        Stream.Publish(_source, MediaFrame.Create(FrameKind.Audio, 0, FrameFlags.SequenceHeader,
            SharedBuffer.CopyOf([0xAF, 0x00, 0x11, 0x90])));

        Counter = new WriteCounter();
        Writers = new ConnectionWriter[viewers];
        Subscriptions = new Subscription[viewers];
        for (var i = 0; i < viewers; i++)
        {
            Writers[i] = new ConnectionWriter(new CountingSink(Counter));
            Subscriptions[i] = Stream.Subscribe(Writers[i], format)
                ?? throw new InvalidOperationException("The benchmark stream ended.");
        }
    }

    public StreamRegistry Registry { get; }

    public LiveStream Stream { get; }

    public ConnectionWriter[] Writers { get; }

    public Subscription[] Subscriptions { get; }

    public WriteCounter Counter { get; }

    /// <summary>Publishes the next video frame; the stream takes the frame's reference.</summary>
    public void PublishFrame()
    {
        var n = _frames++;
        var key = n % GopFrames == 0;
        var payload = SharedBuffer.CopyOf(key ? _keyFrame : _interFrame);
        Stream.Publish(_source, MediaFrame.Create(FrameKind.Video, n * FrameDurationMs, key ? FrameFlags.KeyFrame : FrameFlags.None, payload));
    }

    public void End() => Stream.End();

    private static byte[] VideoPayload(byte first, int size)
    {
        var payload = new byte[size];
        payload.AsSpan().Fill(0x5A);
        payload[0] = first;
        payload[1] = 1;
        payload[2] = payload[3] = payload[4] = 0;
        return payload;
    }
}
