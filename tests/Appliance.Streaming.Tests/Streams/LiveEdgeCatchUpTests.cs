using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// A pulled stream starts with the parent's GOP cache, delivered faster than real time: a live
/// join waits until frames come at real pace, so the first viewer of a pull starts at the live
/// edge too, not where the pull happened to be when it joined.
/// </summary>
public class LiveEdgeCatchUpTests
{
    [Fact]
    public void AJoinDuringAPullsCatchUpWaitsForTheLiveEdge()
    {
        var clock = new ManualMonotonicClock();
        var m = LiveEdgeMedia.Start(WireFormat.Flv, relays: true);
        m.H.Stream.Clock = clock.Read;
        m.Publish(1000, 1400);
        var viewer = m.Join(WireFormat.Flv);

        var during = viewer.Read();
        // The rest of the parent's GOP, as fast as the link goes, then one frame at real pace.
        m.Publish(1440, 2560, keyFrameFirst: false);
        var stillDuring = viewer.Read();
        clock.Advance(40);
        m.Publish(2600, 2600, keyFrameFirst: false);
        var media = viewer.Read().Where(f => f.IsMedia).ToList();

        Assert.Empty(during);
        Assert.Empty(stillDuring);
        Assert.True(media[0].IsKeyFrame);
        Assert.Equal(2500, media[0].Dts);
        Assert.Equal(2600, media.Last(f => f.Kind == FrameKind.Video).Dts);
    }

    [Fact]
    public void AJoinBeforeThePullsFirstFrameWaitsForTheLiveEdgeToo()
    {
        var clock = new ManualMonotonicClock();
        var m = LiveEdgeMedia.Start(WireFormat.Flv, relays: true);
        m.H.Stream.Clock = clock.Read;
        // The viewer asked while the pull was still connecting: nothing but headers yet.
        var viewer = m.Join(WireFormat.Flv);
        var before = viewer.Read();
        // Connecting took longer than the catch-up wait; then the parent's GOP came at once.
        clock.Advance(1500);
        m.Publish(1000, 2560);
        var during = viewer.Read();
        clock.Advance(40);
        m.Publish(2600, 2600, keyFrameFirst: false);
        var media = viewer.Read().Where(f => f.IsMedia).ToList();

        Assert.Empty(before);
        Assert.Empty(during);
        Assert.True(media[0].IsKeyFrame);
        // Re-stamped into the burst, ending at the live frame: no 40 ms steps from the old keyframe.
        var video = media.Where(f => f.Kind == FrameKind.Video).ToList();
        Assert.Equal(2600, video[^1].Dts);
        Assert.True(video[^1].Dts - video[0].Dts <= LiveEdgeMedia.BurstMs, $"burst from {video[0].Dts} to {video[^1].Dts}");
    }

    [Fact]
    public void TheWaitIsBounded()
    {
        var clock = new ManualMonotonicClock();
        var m = LiveEdgeMedia.Start(WireFormat.Flv, relays: true);
        m.H.Stream.Clock = clock.Read;
        m.Publish(1000, 2000);
        var viewer = m.Join(WireFormat.Flv);
        Assert.Empty(viewer.Read());

        clock.Advance(1000);
        m.Publish(2040, 2040, keyFrameFirst: false);
        var media = viewer.Read().Where(f => f.IsMedia).ToList();

        Assert.True(media[0].IsKeyFrame);
        Assert.Equal(2040, media.Last(f => f.Kind == FrameKind.Video).Dts);
    }

    [Fact]
    public void AnotherNodesPullDoesNotWait()
    {
        var clock = new ManualMonotonicClock();
        var m = LiveEdgeMedia.Start(WireFormat.Rtmp, relays: true);
        m.H.Stream.Clock = clock.Read;
        m.Publish(1000, 1400);

        var media = m.Join(WireFormat.Rtmp, relay: true).Read().Where(f => f.IsMedia).ToList();

        Assert.Equal(m.Video.Keys, media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
    }

    [Fact]
    public void AnEncodersStreamDoesNotWait()
    {
        var clock = new ManualMonotonicClock();
        var m = LiveEdgeMedia.Start(WireFormat.Flv);
        m.H.Stream.Clock = clock.Read;
        m.Publish(1000, 2000);

        var media = m.Join(WireFormat.Flv).Read().Where(f => f.IsMedia).ToList();

        Assert.Equal(1900, media[0].Dts);
    }
}
