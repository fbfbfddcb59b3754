using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// Where else the live-edge join applies: a paused RTMP viewer that resumes and a viewer that
/// skipped ahead get a burst after everything they were sent; another node's copy (a pull from a
/// child, a push) and a transcoder's input never get one.
/// </summary>
public class LiveEdgeRestartTests
{
    /// <summary>
    /// A pull starts a GOP before the newest keyframe, so that a node moving its pull here from
    /// another parent overlaps what it already has instead of missing the frames in between.
    /// </summary>
    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AnotherNodesPullGetsTheGopBeforeTheNewestKeyFrameAtTheFramesOwnTimes(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1960);
        m.Publish(2000, 3960);
        m.Publish(4000, 5600);

        var media = m.Join(format, relay: true).Read().Where(f => f.IsMedia).ToList();

        Assert.Equal(m.Video.Keys.Where(t => t >= 2000), media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.Equal(m.Audio.Where(a => a > 2000), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
    }

    /// <summary>A GOP before the newest that is older than the lag limit is not a start: a viewer that far behind would be skipped ahead at once.</summary>
    [Fact]
    public void AnotherNodesPullStartsAtTheNewestKeyFrameWhenTheOneBeforeIsOlderThanTheLagLimit()
    {
        var m = LiveEdgeMedia.Start(WireFormat.Flv, app => app.MaxViewerLagMs = 3000);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);

        var video = m.Join(WireFormat.Flv, relay: true).Read().Where(f => f.IsMedia && f.Kind == FrameKind.Video).Select(f => f.Dts);

        Assert.Equal(m.Video.Keys.Where(t => t >= 2000), video);
    }

    /// <summary>Viewers are not pulls: they start where the join mode says (here, the newest keyframe, followed by 40 frames).</summary>
    [Fact]
    public void AViewerStillStartsAtTheNewestKeyFrame()
    {
        var m = LiveEdgeMedia.Start(WireFormat.Flv, app => app.JoinMode = Appliance.Streaming.Settings.JoinModes.KeyFrame);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);

        var video = m.Join(WireFormat.Flv).Read().Where(f => f.IsMedia && f.Kind == FrameKind.Video).Select(f => f.Dts);

        Assert.Equal(m.Video.Keys.Where(t => t >= 2000), video);
    }

    [Fact]
    public void AnotherNodesPullGetsTheGopBeforeAYoungKeyFrameForItsOwnViewersBursts()
    {
        var m = LiveEdgeMedia.Start(WireFormat.Flv);
        m.Publish(0, 1960);
        m.Publish(2000, 2200);

        var video = m.Join(WireFormat.Flv, relay: true).Read().Where(f => f.IsMedia && f.Kind == FrameKind.Video).Select(f => f.Dts);

        Assert.Equal(m.Video.Keys, video);
    }

    /// <summary>A push to another node reads RTMP; a transcoder's input reads FLV and encodes the frames at their own times too.</summary>
    [Theory]
    [InlineData(WireFormat.Rtmp)]
    [InlineData(WireFormat.Flv)]
    public void AForwarderGetsTheFramesAtTheirOwnTimes(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);
        var forwarder = m.H.Stream.SubscribeForwarder(new ConnectionWriter(new RecordingSink()), format)!;

        var video = new JoinedViewer(m.H, forwarder).Read().Where(f => f.IsMedia && f.Kind == FrameKind.Video).Select(f => f.Dts);

        Assert.True(forwarder.RelaysTimeline);
        Assert.Equal(m.Video.Keys.Where(t => t >= 2000), video);
    }

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AResumedViewerGetsABurstAfterWhatItWasSent(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1200);
        var viewer = m.Join(format);
        var before = viewer.Read();
        m.H.Stream.SetPaused(viewer.Subscription, true);
        m.Publish(1240, 3000, keyFrameFirst: false);
        m.Publish(3040, 5000);

        m.H.Stream.SetPaused(viewer.Subscription, false);
        var media = viewer.Read(afterGap: true).Where(f => f.IsMedia).ToList();

        Assert.Equal(1200, before.Last(f => f.Kind == FrameKind.Video).Dts);
        Assert.True(media[0].IsKeyFrame);
        Assert.Equal(Enumerable.Range(0, 49).Select(i => 4900L + (i * 100 / 49)).Append(5000), media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.Equal(m.Audio.Where(a => a >= 4900), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
    }

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AViewerResumedTooSoonForABurstWaitsForTheNextKeyFrame(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 4000);
        var viewer = m.Join(format);
        viewer.Read();
        m.H.Stream.SetPaused(viewer.Subscription, true);
        m.Publish(4040, 4080, keyFrameFirst: false);

        // Sent up to 4000: the 102 cached frames do not fit in 4001..4080 at 1 ms each.
        m.H.Stream.SetPaused(viewer.Subscription, false);
        var waiting = viewer.Read().Where(f => f.IsMedia).ToList();
        m.Publish(4120, 4200);
        var resumed = viewer.Read(afterGap: true).Where(f => f.IsMedia).ToList();

        Assert.Empty(waiting);
        Assert.True(resumed[0].IsKeyFrame);
        Assert.Equal([4120L, 4160, 4200], resumed.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.True(resumed.All(f => f.Dts > 4000), string.Join(" ", resumed));
    }

    [Theory]
    [MemberData(nameof(LiveEdgeJoinTests.Formats), MemberType = typeof(LiveEdgeJoinTests))]
    public void AViewerThatSkipsAheadForLaggingLandsAtTheLiveEdge(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format, app => app.MaxViewerLagMs = 1000);
        m.Publish(0, 1200);
        var viewer = m.Join(format);
        viewer.Read();

        // The viewer reads nothing while 3 s of media arrive.
        m.Publish(1240, 2960, keyFrameFirst: false);
        m.Publish(3000, 4200);
        var media = viewer.Read(afterGap: true).Where(f => f.IsMedia).ToList();

        Assert.Equal(1, viewer.Subscription.Skips);
        Assert.True(media[0].IsKeyFrame);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => 4100L + (i * 100 / 30)).Append(4200), media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.Equal(m.Audio.Where(a => a >= 4100), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
    }
}
