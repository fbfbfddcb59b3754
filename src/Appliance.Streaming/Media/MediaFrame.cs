using Appliance.Core.Buffers;

namespace Appliance.Streaming.Media;

/// <summary>
/// One audio, video or script frame on a stream's timeline (64-bit milliseconds, already rebased).
/// Ref-counted: the stream's frame log holds one reference; writers that are sending its bytes hold
/// their own. Its wire forms are built lazily, once per format, and shared by every subscriber.
/// </summary>
public sealed class MediaFrame
{
    private const int FormatCount = 3;

    private readonly SharedBuffer?[] _wire = new SharedBuffer?[FormatCount];
    private int _refCount;

    private MediaFrame(FrameKind kind, long timestamp, FrameFlags flags, SharedBuffer payload)
    {
        Kind = kind;
        Timestamp = timestamp;
        Flags = flags;
        Payload = payload;
        _refCount = 1;
    }

    public FrameKind Kind { get; }

    public long Timestamp { get; internal set; }

    public FrameFlags Flags { get; }

    /// <summary>The FLV tag body / RTMP message payload.</summary>
    public SharedBuffer Payload { get; }

    public bool IsKeyFrame => (Flags & FrameFlags.KeyFrame) != 0;

    public bool IsSequenceHeader => (Flags & FrameFlags.SequenceHeader) != 0;

    /// <summary>Audio or video that plays (not a sequence header, not script data): only these place a stream in time.</summary>
    public bool IsMedia => Kind != FrameKind.Script && !IsSequenceHeader;

    public bool IsVideoKeyFrame => Kind == FrameKind.Video && IsKeyFrame && !IsSequenceHeader;

    /// <summary>Takes ownership of <paramref name="payload"/>'s reference.</summary>
    public static MediaFrame Create(FrameKind kind, long timestamp, FrameFlags flags, SharedBuffer payload) =>
        new(kind, timestamp, flags, payload);

    /// <summary>The TS packets the stream's packager attached, or null when the frame was not packaged.</summary>
    public SharedBuffer? PackagedTs => Volatile.Read(ref _wire[(int)WireFormat.Ts]);

    /// <summary>The frame's bytes in <paramref name="format"/> (RTMP or FLV), serialized on first use.</summary>
    public SharedBuffer GetWire(WireFormat format, FrameSerializer serializer)
    {
        if (format == WireFormat.Ts)
        {
            throw new ArgumentOutOfRangeException(nameof(format), "TS is packaged in order by the stream: use PackagedTs");
        }
        var existing = Volatile.Read(ref _wire[(int)format]);
        if (existing is not null)
        {
            return existing;
        }
        var built = serializer.Serialize(this, format);
        var raced = Interlocked.CompareExchange(ref _wire[(int)format], built, null);
        if (raced is null)
        {
            return built;
        }
        built.Release();
        return raced;
    }

    /// <summary>Attaches the TS packets the packager made for this frame (takes the reference).</summary>
    internal void AttachTs(SharedBuffer packets)
    {
        if (Interlocked.CompareExchange(ref _wire[(int)WireFormat.Ts], packets, null) is not null)
        {
            packets.Release();
        }
    }

    public bool HasTs => PackagedTs is not null;

    public MediaFrame AddRef()
    {
        Interlocked.Increment(ref _refCount);
        return this;
    }

    public void Release()
    {
        var after = Interlocked.Decrement(ref _refCount);
        if (after > 0)
        {
            return;
        }
        if (after < 0)
        {
            throw new InvalidOperationException("MediaFrame released more times than it was referenced.");
        }
        Payload.Release();
        for (var i = 0; i < FormatCount; i++)
        {
            _wire[i]?.Release();
            _wire[i] = null;
        }
    }
}
