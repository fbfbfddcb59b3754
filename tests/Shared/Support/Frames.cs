using Appliance.Core.Buffers;
using Appliance.Streaming.Media;

namespace Appliance.Tests.Support;

/// <summary>
/// MediaFrames with the flags the classifier would give them. Payloads come from the pool passed
/// in; a test's own pool makes "everything was released" checkable whatever runs in parallel.
/// </summary>
internal sealed class Frames(BufferPool pool)
{
    public Frames() : this(new BufferPool(maxRetainedBytesPerClass: 1 << 20))
    {
    }

    public BufferPool Pool { get; } = pool;

    public MediaFrame AvcSequenceHeader(long ts = 0) =>
        Make(FrameKind.Video, ts, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, Payloads.AvcSequenceHeader());

    public MediaFrame KeyFrame(long ts, int size = 64) =>
        Make(FrameKind.Video, ts, FrameFlags.KeyFrame, Payloads.AvcKeyFrame(size, (byte)ts));

    public MediaFrame InterFrame(long ts, int size = 32) =>
        Make(FrameKind.Video, ts, FrameFlags.None, Payloads.AvcInterFrame(size, (byte)ts));

    public MediaFrame AacSequenceHeader(long ts = 0) =>
        Make(FrameKind.Audio, ts, FrameFlags.SequenceHeader, Payloads.AacSequenceHeader());

    public MediaFrame AacRaw(long ts, int size = 16) =>
        Make(FrameKind.Audio, ts, FrameFlags.None, Payloads.AacRaw(size, (byte)ts));

    public MediaFrame Metadata(long ts = 0) =>
        Make(FrameKind.Script, ts, FrameFlags.Metadata, Payloads.OnMetaData());

    public MediaFrame Make(FrameKind kind, long ts, FrameFlags flags, ReadOnlySpan<byte> payload)
    {
        var buffer = Pool.Rent(payload.Length);
        payload.CopyTo(buffer.FullSpan);
        buffer.Length = payload.Length;
        return MediaFrame.Create(kind, ts, flags, buffer);
    }
}
