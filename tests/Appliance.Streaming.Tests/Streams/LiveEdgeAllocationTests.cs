using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// A live-edge join costs one plan per viewer, not an allocation per frame: the burst's frames go
/// from the shared wire bytes and one pooled header buffer, and the live frames after it are
/// collected exactly as in the other modes, with nothing allocated for the viewer.
/// </summary>
public class LiveEdgeAllocationTests
{
    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void LiveFramesAfterTheBurstAllocateNothingPerViewer(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1960);
        var first = m.Join(format);
        var second = m.Join(format);
        var batch = new OutputBatch();
        Drain(m.H, first.Subscription, batch);
        Drain(m.H, second.Subscription, batch);

        // The first viewer's collect serializes each frame's wire form once; the second's is what every further viewer costs.
        m.Publish(2000, 2400, keyFrameFirst: false);
        Drain(m.H, first.Subscription, batch);
        var few = Drain(m.H, second.Subscription, batch);
        m.Publish(2440, 10_000, keyFrameFirst: false);
        Drain(m.H, first.Subscription, batch);
        var many = Drain(m.H, second.Subscription, batch);

        Assert.True(many < 1000, $"a viewer collecting 190 video and 330 audio frames allocated {many} bytes ({few} for 11 video frames)");
        Assert.Equal(10_000, second.Subscription.LastStamp);
    }

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void ABurstOfTwoHundredFramesAllocatesOnlyItsPlan(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(10_000, 18_000);
        var batch = new OutputBatch();
        // Warm up: the frames' wire forms, the pools' buffers for a burst of this size.
        Drain(m.H, m.Join(format).Subscription, batch);

        var viewer = m.Join(format);
        var bytes = Drain(m.H, viewer.Subscription, batch);

        Assert.Equal(18_000, viewer.Subscription.LastStamp);
        Assert.True(bytes < 1000, $"a join burst of 200 video and 350 audio frames allocated {bytes} bytes");
    }

    /// <summary>Collects until idle; returns the bytes allocated on this thread meanwhile.</summary>
    private static long Drain(StreamHarness h, Subscription viewer, OutputBatch batch)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        CollectResult result;
        do
        {
            result = h.Stream.Collect(viewer, batch);
            batch.ReleaseAll();
        }
        while (result == CollectResult.More);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
