using Appliance.Core.Buffers;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// A live-edge join rewrites only what carries a time: the burst's headers are the viewer's own
/// (from one buffer), its payloads and every live frame after it are the frames' shared bytes.
/// </summary>
public class LiveEdgeSharedBytesTests
{
    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void TheBurstSharesThePayloadsAndOwnsOnlyItsHeaders(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1200, keyFrameSize: 9000);
        var viewer = m.Join(format);

        var slices = JoinedViewer.CollectSlices(m.H, viewer.Subscription);
        try
        {
            var wires = m.All.Select(f => m.WireOf(f, format)).OfType<SharedBuffer>().ToHashSet();
            var own = slices.Where(s => !wires.Contains(s.Buffer)).ToList();
            Assert.Single(own.Select(s => s.Buffer).Distinct());
            // Per re-stamped video frame: an FLV tag header or RTMP chunk headers (with the video tag
            // header, for its CompositionTime), or one TS packet.
            var perFrame = format == WireFormat.Ts ? 188 : format == WireFormat.Flv ? 16 : 17;
            Assert.Equal(30 * perFrame, own.Sum(s => s.Length));
            foreach (var (ts, frame) in m.Video.Where(v => v.Key < 1200))
            {
                var wire = m.WireOf(frame, format)!;
                var shared = slices.Where(s => ReferenceEquals(s.Buffer, wire)).Sum(s => s.Length);
                Assert.True(shared >= wire.Length - perFrame, $"frame {ts}: {shared} of its {wire.Length} bytes shared");
            }
            var live = m.WireOf(m.Video[1200], format)!;
            Assert.Contains(slices, s => ReferenceEquals(s.Buffer, live) && s.Offset == 0 && s.Length == live.Length);
        }
        finally
        {
            JoinedViewer.Release(slices);
        }
    }

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void LiveFramesAfterTheBurstAreTheSharedBytesWhole(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1200);
        var viewer = m.Join(format);
        viewer.Read();
        m.Publish(1240, 1600, keyFrameFirst: false);

        var slices = JoinedViewer.CollectSlices(m.H, viewer.Subscription);
        try
        {
            var expected = m.AudioFrames.Where(a => a.Timestamp > 1200).Concat(m.Video.Values.Where(v => v.Timestamp > 1200))
                .OrderBy(f => f.Timestamp).Select(f => m.WireOf(f, format)).ToList();
            Assert.Equal(expected.Count, slices.Count);
            Assert.All(slices, s => Assert.True(s.Offset == 0 && s.Length == s.Buffer.Length));
            Assert.Equal(expected.Select(w => (object?)w).ToHashSet(ReferenceEqualityComparer.Instance), slices.Select(s => (object?)s.Buffer).ToHashSet(ReferenceEqualityComparer.Instance));
        }
        finally
        {
            JoinedViewer.Release(slices);
        }
    }
}
