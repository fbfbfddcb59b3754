using Appliance.Streaming.Settings;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class LiveStreamLagTests
{
    [Fact]
    public void AViewerTooFarBehindSkipsToTheNewestKeyFrameWithHeadersAgain()
    {
        var h = new StreamHarness(app =>
        {
            app.MaxViewerLagMs = 500;
            app.JoinMode = JoinModes.KeyFrame;
        });
        h.PublishHeaders();
        h.PublishGop(0, 40);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        // The viewer reads nothing while 1.6 s of media arrives.
        for (var ts = 80; ts < 1000; ts += 40)
        {
            h.Publish(h.Frames.InterFrame(ts));
        }
        h.PublishGop(1000, 1600);
        var (result, tags) = h.Collect(viewer);

        Assert.Equal(CollectResult.Idle, result);
        Assert.Equal("Script@0 Video@0 Audio@0 Video@1000 Video@1040", FlvTags.Describe(tags.Take(5)));
        Assert.True(StreamHarness.IsKeyFrame(tags[3]));
        Assert.Equal(1600u, tags[^1].Timestamp);
        Assert.Equal(1, viewer.Skips);
    }

    [Fact]
    public void AViewerWithinTheLagIsNotSkipped()
    {
        var h = new StreamHarness(app => app.MaxViewerLagMs = 5000);
        h.PublishHeaders();
        h.PublishGop(0, 40);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.PublishGop(1000, 1600);
        var (_, tags) = h.Collect(viewer);

        Assert.Equal(0, viewer.Skips);
        Assert.Equal(1000u, tags[0].Timestamp);
        Assert.Equal(16, tags.Count);
    }

    [Fact]
    public void HeadersStampedPastTheWrapDoNotMakeAViewerThatKeepsUpLookBehind()
    {
        const long wrap = 1L << 32;
        var h = new StreamHarness(app =>
        {
            app.MaxViewerLagMs = 3000;
            app.MaxViewerSkipsPerMinute = 2;
            app.JoinMode = JoinModes.KeyFrame;
        }, relays: true);
        // A pull starting 55 s before RTMP's 32-bit wrap: the parent's stored headers come stamped 0,
        // read as the next epoch; its media is where the stream is.
        h.Publish(h.Frames.Metadata(wrap));
        h.Publish(h.Frames.AvcSequenceHeader(wrap));
        h.Publish(h.Frames.AacSequenceHeader(wrap));
        h.PublishGop(wrap - 55_000, wrap - 53_040);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        // 20 s of live media, two-second GOPs, read every 200 ms (so a keyframe often arrives
        // between two reads, where a viewer taken to be behind skips).
        var results = new List<CollectResult>();
        for (var frame = 0; frame < 500; frame++)
        {
            h.Publish(frame % 50 == 0 ? h.Frames.KeyFrame(wrap - 53_000 + frame * 40) : h.Frames.InterFrame(wrap - 53_000 + frame * 40));
            if (frame % 5 == 2)
            {
                results.Add(h.Collect(viewer).Result);
            }
        }

        Assert.Equal(100, results.Count);
        Assert.All(results, r => Assert.Equal(CollectResult.Idle, r));
        Assert.Equal(0, viewer.Skips);
    }

    [Fact]
    public void AViewerThatSkipsMoreOftenThanAllowedPerMinuteIsHopeless()
    {
        var h = new StreamHarness(app =>
        {
            app.MaxViewerLagMs = 500;
            app.MaxViewerSkipsPerMinute = 2;
        });
        h.PublishHeaders();
        var viewer = h.Subscribe();
        h.Collect(viewer);

        var results = new List<CollectResult>();
        for (var round = 1; round <= 3; round++)
        {
            var start = round * 2000L;
            for (var ts = start; ts < start + 1000; ts += 100)
            {
                h.Publish(h.Frames.InterFrame(ts));
            }
            h.PublishGop(start + 1000, start + 1600);
            results.Add(h.Collect(viewer).Result);
        }

        Assert.Equal([CollectResult.Idle, CollectResult.Idle, CollectResult.Hopeless], results);
        Assert.Equal(3, viewer.Skips);
    }
}
