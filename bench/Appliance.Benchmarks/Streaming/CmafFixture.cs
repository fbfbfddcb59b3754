using System.Buffers.Binary;
using Appliance.Core.Buffers;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging;
using Appliance.Streaming.Packaging.Cmaf;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// One stream's CMAF packager fed as the stream feeds it: 25 fps H.264 of 20 KB a frame, a
/// keyframe every 2 s (one segment), 220 ms parts. The two frames are reused with a new
/// timestamp each time (the packager copies the time and reads the payload), so feeding
/// allocates nothing of its own.
/// </summary>
internal sealed class CmafFixture
{
    public const int FrameSize = 20 * 1024;

    /// <summary>2 s of 25 fps, and ten 200 ms parts (5 frames each, the most a 220 ms target holds).</summary>
    public const int FramesPerSegment = 50;
    public const int PartsPerSegment = 10;

    private const int FrameDurationMs = 40;

    // The avcC of a 32x32 baseline stream, as in TsMuxerBenchmarks.
    private static readonly byte[] AvcRecord = Convert.FromHexString("0142C00AFFE100166742C00ADA25B011000003000100000300320F1226A001000468CE0FC8");

    private readonly MediaFrame _keyFrame = Frame(FrameFlags.KeyFrame, 0x17, 0x65);
    private readonly MediaFrame _interFrame = Frame(FrameFlags.None, 0x27, 0x41);
    private long _timestamp;

    public CmafFixture(int maxHeldRequests = 100_000)
    {
        var options = new CmafOptions(TargetMs: 2000, PartTargetMs: 220, WindowSegments: 6, ExtraSegments: 4, MinSegments: 3, maxHeldRequests, "bench/", null);
        Packager = new CmafPackager(options, new SegmentCache(1L << 40), NullLogger.Instance, "default/live/bench", nowTimestampMs: -1);
        var header = MediaFrame.Create(FrameKind.Video, 0, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, SharedBuffer.CopyOf([0x17, 0x00, 0, 0, 0, .. AvcRecord]));
        Packager.OnFrame(header, streamHasVideo: true);
        header.Release();
    }

    public CmafPackager Packager { get; }

    /// <summary>The next frame, 40 ms after the last; a keyframe on every 2 s boundary.</summary>
    public void FeedFrame()
    {
        var frame = _timestamp % 2000 == 0 ? _keyFrame : _interFrame;
        frame.Timestamp = _timestamp;
        Packager.OnFrame(frame, streamHasVideo: true);
        _timestamp += FrameDurationMs;
    }

    /// <summary>Frames until the video track has a new part.</summary>
    public void FeedUntilPart()
    {
        var before = Packager.Snapshot.Video;
        var (msn, part) = (before?.LastPartMsn ?? -1, before?.LastPart ?? -1);
        do
        {
            FeedFrame();
        }
        while (Packager.Snapshot.Video is { } now && now.LastPartMsn == msn && now.LastPart == part);
    }

    public void End()
    {
        Packager.End();
        Packager.Stop();
        _keyFrame.Release();
        _interFrame.Release();
    }

    private static MediaFrame Frame(FrameFlags flags, byte first, byte nalHeader)
    {
        var payload = new byte[FrameSize];
        new Random(42).NextBytes(payload);
        payload[0] = first;
        payload[1] = 0x01;
        payload[2] = payload[3] = payload[4] = 0;
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(5), FrameSize - 9);
        payload[9] = nalHeader;
        return MediaFrame.Create(FrameKind.Video, 0, flags, SharedBuffer.CopyOf(payload));
    }
}
