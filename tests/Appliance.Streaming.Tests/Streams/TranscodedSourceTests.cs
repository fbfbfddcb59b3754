using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// A ladder's rung is published by the node's transcoder on its source's timeline. A restarted
/// transcoder continues that timeline, but its frames are encodes of its own: video resumes at its
/// next keyframe, never with an inter frame that refers to frames viewers did not get.
/// </summary>
public class TranscodedSourceTests
{
    private static (StreamHarness Harness, Subscription Viewer) RungWithViewer()
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 10_000);
        h.PublishHeaders();
        h.PublishGop(3_600_000, 3_601_000);
        h.Publish(h.Frames.AacRaw(3_600_980));
        var viewer = h.Subscribe();
        h.Collect(viewer);
        h.Stream.DetachSource(h.Source);
        return (h, viewer);
    }

    [Fact]
    public void A_restarted_transcoder_continues_the_timeline_and_resumes_video_at_its_keyframe()
    {
        var (h, viewer) = RungWithViewer();
        var restarted = new TestSource("transcoder", relays: true, transcoded: true);
        Assert.Equal(PublishOutcome.Started, h.Registry.TryPublish(StreamHarness.Key, h.App, restarted, out var stream));

        // It starts at the source's GOP cache: an overlap, then inter frames of its own GOP, then its next keyframe.
        stream.Publish(restarted, h.Frames.AvcSequenceHeader(0));
        stream.Publish(restarted, h.Frames.KeyFrame(3_600_000));
        stream.Publish(restarted, h.Frames.InterFrame(3_601_000));
        stream.Publish(restarted, h.Frames.InterFrame(3_601_040));
        stream.Publish(restarted, h.Frames.AacRaw(3_601_003));
        stream.Publish(restarted, h.Frames.KeyFrame(3_602_000));
        stream.Publish(restarted, h.Frames.InterFrame(3_602_040));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Audio@3601003 Video@3602000 Video@3602040", FlvTags.Describe(tags));
        Assert.Equal(1, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void A_relayed_source_after_the_same_overlap_goes_on_with_the_inter_frame()
    {
        var (h, viewer) = RungWithViewer();
        var relay = new TestSource("pull", relays: true);
        h.Registry.TryPublish(StreamHarness.Key, h.App, relay, out var stream);

        stream.Publish(relay, h.Frames.KeyFrame(3_600_000));
        stream.Publish(relay, h.Frames.InterFrame(3_601_000));
        stream.Publish(relay, h.Frames.InterFrame(3_601_040));
        var (_, tags) = h.Collect(viewer);

        // The same bytes as the source viewers had: the next inter frame follows on.
        Assert.Equal("Video@3601040", FlvTags.Describe(tags));
    }

    [Fact]
    public void Rungs_do_not_count_as_publishers_of_their_app()
    {
        var registry = new StreamRegistry(new FrameSerializer(4096));
        var app = new StreamingAppConfig();
        registry.TryPublish(new StreamKey("default", "live", "cam"), app, new TestSource("encoder"), out _);
        registry.TryPublish(new StreamKey("default", "live", "cam_480p"), app, new TestSource("transcoder", relays: true, transcoded: true), out _);
        registry.TryPublish(new StreamKey("default", "live", "cam_360p"), app, new TestSource("transcoder", relays: true, transcoded: true), out _);

        Assert.Equal(1, registry.CountPublishing("default", "live"));
    }
}
