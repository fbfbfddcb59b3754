using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// Source changes on streams as old as production: timestamps far from 0, older than every window
/// in the code, and across RTMP's 32-bit wrap. A new source's headers come stamped 0 (a parent
/// sends the ones the encoder sent first), and must not decide the timeline.
/// </summary>
public class OldStreamTimelineTests
{
    private const long Hour = 3_600_000;
    private const long Wrap = 1L << 32;

    /// <summary>An encoder that sent headers at 0, then 25 fps video with a keyframe a second from <paramref name="start"/> up to <paramref name="last"/>.</summary>
    private static StreamHarness OldStream(long start, long last)
    {
        var h = new StreamHarness(app => app.PublisherGraceMs = 10_000);
        h.PublishHeaders();
        for (var gop = start; gop <= last; gop += 1000)
        {
            h.PublishGop(gop, Math.Min(gop + 960, last));
        }
        return h;
    }

    [Fact]
    public void A_parent_that_sends_its_headers_stamped_0_before_its_GOP_cache_continues_an_hour_old_timeline()
    {
        var h = OldStream(Hour, Hour + 19_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        h.PublishHeaders();
        h.PublishGop(Hour + 19_000, Hour + 19_960);
        h.Publish(h.Frames.InterFrame(Hour + 20_000));
        h.Publish(h.Frames.AacRaw(Hour + 20_030));
        h.Publish(h.Frames.InterFrame(Hour + 20_040));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal($"Video@{Hour + 20_000} Audio@{Hour + 20_030} Video@{Hour + 20_040}", FlvTags.Describe(tags));
        Assert.Equal(1, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void A_republisher_starting_an_hour_in_with_metadata_at_0_is_moved_just_after_the_last_frame_not_by_its_age()
    {
        var h = OldStream(0, 19_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.DetachSource(h.Source);
        var next = new TestSource("republisher");
        Assert.Equal(PublishOutcome.Started, h.Registry.TryPublish(StreamHarness.Key, h.App, next, out var stream));
        stream.Publish(next, h.Frames.Metadata(0));
        stream.Publish(next, h.Frames.AvcSequenceHeader(0));
        stream.Publish(next, h.Frames.KeyFrame(Hour));
        stream.Publish(next, h.Frames.InterFrame(Hour + 40));
        var (_, tags) = h.Collect(viewer);

        // The held headers go out at the new timeline's first instant, before its keyframe.
        Assert.Equal("Script@19961 Video@19961 Video@19961 Video@20001", FlvTags.Describe(tags));
    }

    [Fact]
    public void A_parent_whose_timestamps_wrapped_past_2_to_the_32_continues_the_64_bit_timeline()
    {
        // Viewers are 5 s past 2^32: the new parent's 32-bit timestamps start again near 4 s.
        var h = OldStream(Wrap - 15_000, Wrap + 4_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        h.PublishHeaders();
        h.PublishGop(4_000, 4_960);
        h.Publish(h.Frames.InterFrame(5_000));
        h.Publish(h.Frames.InterFrame(5_040));
        var (_, tags) = h.Collect(viewer);

        // Viewers see 32-bit FLV timestamps; a rebase would have sent the whole GOP again from 4961.
        Assert.Equal("Video@5000 Video@5040", FlvTags.Describe(tags));
        Assert.Equal(1, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void A_parent_still_before_the_wrap_continues_a_timeline_that_has_crossed_it()
    {
        var h = OldStream(Wrap - 15_000, Wrap + 960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        // Its GOP cache starts 1 s before the wrap, in its own 32-bit numbers; its clock then wraps.
        h.Stream.Rebase(h.Source, mayContinue: true);
        h.PublishHeaders();
        h.PublishGop(Wrap - 1_000, Wrap - 40);
        h.Publish(h.Frames.KeyFrame(Wrap));
        h.Publish(h.Frames.InterFrame(Wrap + 1_000));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@1000", FlvTags.Describe(tags));
        Assert.Equal(1, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void A_push_forwarded_by_another_node_that_reconnects_continues_the_timeline()
    {
        var h = OldStream(Hour, Hour + 19_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.DetachSource(h.Source);
        var forwarder = new TestSource("push from origin", relays: true);
        Assert.Equal(PublishOutcome.Started, h.Registry.TryPublish(StreamHarness.Key, h.App, forwarder, out var stream));
        // The forwarder starts again at its stream's GOP cache: frames viewers already have.
        stream.Publish(forwarder, h.Frames.Metadata(0));
        stream.Publish(forwarder, h.Frames.AvcSequenceHeader(0));
        stream.Publish(forwarder, h.Frames.AacSequenceHeader(0));
        stream.Publish(forwarder, h.Frames.KeyFrame(Hour + 19_000));
        for (var ts = Hour + 19_040; ts <= Hour + 20_040; ts += 40)
        {
            stream.Publish(forwarder, h.Frames.InterFrame(ts));
        }
        var (_, tags) = h.Collect(viewer);

        Assert.Equal($"Video@{Hour + 20_000} Video@{Hour + 20_040}", FlvTags.Describe(tags));
        Assert.Equal(1, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void An_encoder_republishing_from_0_on_a_young_stream_is_not_taken_for_the_same_timeline()
    {
        // 8 s old: a republish from 0 lands within the window, but an encoder's timeline is its own.
        var h = OldStream(0, 7_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.DetachSource(h.Source);
        var next = new TestSource("republisher");
        h.Registry.TryPublish(StreamHarness.Key, h.App, next, out var stream);
        stream.Publish(next, h.Frames.KeyFrame(0));
        stream.Publish(next, h.Frames.InterFrame(40));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@7961 Video@8001", FlvTags.Describe(tags));
        Assert.Equal(0, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void A_header_stamped_0_in_the_middle_of_an_old_stream_takes_the_current_time_and_does_not_make_viewers_lag()
    {
        var h = OldStream(Hour, Hour + 19_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Publish(h.Frames.Make(FrameKind.Video, 0, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, [0x17, 0x00, 0, 0, 0, 1, 0x4d, 0x40, 0x1f, 0xff, 0xe1, 0, 0]));
        h.Publish(h.Frames.KeyFrame(Hour + 20_000));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal($"Video@{Hour + 19_960} Video@{Hour + 20_000}", FlvTags.Describe(tags));
        Assert.Equal(0, viewer.Skips);
    }

    [Fact]
    public void Headers_held_for_a_source_that_leaves_before_its_first_frame_are_released()
    {
        var h = OldStream(Hour, Hour + 1_960);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        for (var i = 0; i < 20; i++)
        {
            h.PublishHeaders();
        }
        h.Stream.End();
        h.Stream.Unsubscribe(viewer);

        Assert.Equal(0, h.Frames.Pool.Outstanding);
    }
}
