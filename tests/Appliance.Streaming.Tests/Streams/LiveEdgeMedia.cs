using System.Buffers.Binary;
using Appliance.Core.Buffers;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// A stream for the live-edge join tests: real H.264 and AAC payloads (the TS muxer takes them
/// too), video every 40 ms and audio every 23 ms in timestamp order, a keyframe every GOP.
/// </summary>
internal sealed class LiveEdgeMedia
{
    public const int BurstMs = 100;

    private LiveEdgeMedia(StreamHarness harness) => H = harness;

    public StreamHarness H { get; }

    /// <summary>Every video frame published, by timestamp, still referenced (the log holds them too).</summary>
    public Dictionary<long, MediaFrame> Video { get; } = [];

    /// <param name="relays">The source relays another node's copy (a pull): it starts catching up.</param>
    public static LiveEdgeMedia Start(WireFormat format, Action<StreamingAppConfig>? configure = null, bool relays = false)
    {
        var h = new StreamHarness(app =>
        {
            app.JoinMode = JoinModes.Live;
            app.JoinBurstMs = BurstMs;
            app.MaxViewerLagMs = 60_000;
            configure?.Invoke(app);
        }, relays: relays);
        if (format == WireFormat.Ts)
        {
            h.Stream.EnsureTsPackaging();
        }
        var media = new LiveEdgeMedia(h);
        media.Publish(h.Frames.Metadata(0), media.Headers);
        media.Publish(h.Frames.AvcSequenceHeader(0), media.Headers);
        media.Publish(h.Frames.AacSequenceHeader(0), media.Headers);
        return media;
    }

    /// <summary>Metadata and both sequence headers, as published first.</summary>
    public List<MediaFrame> Headers { get; } = [];

    /// <summary>Every audio frame published, in order.</summary>
    public List<MediaFrame> AudioFrames { get; } = [];

    /// <summary>Every frame published, for the buffers a viewer is sent.</summary>
    public IEnumerable<MediaFrame> All => Headers.Concat(AudioFrames).Concat(Video.Values);

    /// <summary>The frame's shared bytes in <paramref name="format"/>: what every viewer of it is sent.</summary>
    public SharedBuffer? WireOf(MediaFrame frame, WireFormat format) =>
        format == WireFormat.Ts ? frame.PackagedTs : frame.GetWire(format, H.Stream.Serializer);

    private void Publish(MediaFrame frame, List<MediaFrame> into)
    {
        into.Add(frame);
        H.Publish(frame);
    }

    /// <summary>A new viewer of the stream, read back as a player of <paramref name="format"/> would.</summary>
    public JoinedViewer Join(WireFormat format, bool relay = false, bool browser = false) =>
        new(H, H.Stream.Subscribe(new ConnectionWriter(new RecordingSink()), format, relay, browser) ?? throw new InvalidOperationException("stream ended"));

    /// <summary>Every audio timestamp published, in order.</summary>
    public List<long> Audio { get; } = [];

    private long _nextAudio = -1;

    /// <summary>
    /// Video from <paramref name="from"/> (a keyframe unless <paramref name="keyFrameFirst"/> is
    /// false) every 40 ms up to <paramref name="to"/>, and audio every 23 ms going on from the last
    /// (or from <paramref name="from"/>), interleaved by time. <paramref name="compositionTime"/>
    /// gives each video frame's PTS minus DTS by its index in this call (B-frames).
    /// </summary>
    public void Publish(long from, long to, bool keyFrameFirst = true, Func<int, int>? compositionTime = null, int keyFrameSize = 600)
    {
        if (_nextAudio < 0 || _nextAudio < from - 1000)
        {
            _nextAudio = from;
        }
        var index = 0;
        for (var video = from; video <= to; video += 40)
        {
            for (; _nextAudio < video; _nextAudio += 23)
            {
                Publish(TsMedia.Audio(H.Frames, _nextAudio), AudioFrames);
                Audio.Add(_nextAudio);
            }
            var key = keyFrameFirst && video == from;
            var payload = TsMedia.AvcFrame(key, key ? keyFrameSize : 120, (byte)index);
            var cts = compositionTime?.Invoke(index) ?? 0;
            BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), (1 << 24) | (cts & 0xFFFFFF));
            var frame = H.Frames.Make(FrameKind.Video, video, key ? FrameFlags.KeyFrame : FrameFlags.None, payload);
            Video[video] = frame;
            H.Publish(frame);
            index++;
        }
    }

    /// <summary>The original PTS of the video frame published at <paramref name="dts"/>.</summary>
    public long PtsOf(long dts)
    {
        var payload = Video[dts].Payload.Span;
        return dts + ((BinaryPrimitives.ReadInt32BigEndian(payload[1..]) << 8) >> 8);
    }
}
