using Appliance.Codecs.MpegTs;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// The live-edge join on streams as old as production: where RTMP timestamps become extended
/// (0xFFFFFF ms, 4.7 h: then every chunk header carries the time, so a re-stamped frame's chunk
/// headers are all its own) and across the 32-bit wrap (49.7 days), with keyframes of several chunks.
/// </summary>
public class LiveEdgeAgedStreamTests
{
    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AcrossTheStartOfExtendedTimestamps(WireFormat format) =>
        AssertBurst(format, keyFrame: 0xFFFFFF - 1500);

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AcrossThe32BitWrap(WireFormat format) =>
        AssertBurst(format, keyFrame: (1L << 32) - 1000);

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AllExtended(WireFormat format) =>
        AssertBurst(format, keyFrame: 5L * 3600 * 1000);

    private static void AssertBurst(WireFormat format, long keyFrame)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(keyFrame - 2000, keyFrame - 40);
        var live = keyFrame + 1600;
        m.Publish(keyFrame, live, keyFrameSize: 9000);
        var viewer = m.Join(format);

        var media = viewer.Read().Where(f => f.IsMedia).ToList();
        var audioAtJoin = m.Audio.ToList();
        m.Publish(live + 40, live + 200, keyFrameFirst: false);
        var after = viewer.Read();

        var start = live - LiveEdgeMedia.BurstMs;
        var expectedVideo = Enumerable.Range(0, 40).Select(i => start + (i * 100 / 40)).Append(live).ToList();
        Assert.Equal(expectedVideo.Select(t => OnWire(t, format)), media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.Equal(audioAtJoin.Where(a => a >= start).Select(t => OnWire(t, format)), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
        Assert.True(media[0].IsKeyFrame);
        if (format != WireFormat.Ts)
        {
            // Payloads whole through the re-stamped chunk headers (CompositionTime 0 stays 0).
            var sent = m.Video.Where(v => v.Key >= keyFrame && v.Key <= live).Select(v => v.Value.Payload.Span.ToArray());
            Assert.Equal(sent, media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Payload));
        }
        Assert.Equal(m.Video.Keys.Where(t => t > live).Select(t => OnWire(t, format)), after.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
    }

    /// <summary>A 64-bit time as the wire carries it: 32-bit ms in FLV and RTMP, 33-bit 90 kHz in TS.</summary>
    private static long OnWire(long ms, WireFormat format) =>
        format == WireFormat.Ts ? TsTimestamp.FromMilliseconds(ms) / 90 : (uint)ms;
}
