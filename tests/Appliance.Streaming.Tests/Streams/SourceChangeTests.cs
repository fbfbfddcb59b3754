using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>A pull moving to another parent: the same origin timeline goes on seamlessly; another timeline is rebased.</summary>
public class SourceChangeTests
{
    [Fact]
    public void A_source_on_the_same_timeline_continues_it_without_repeating_what_viewers_have()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(0, 1000);
        h.Publish(h.Frames.AacRaw(980));
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        // The new parent starts at its GOP cache: headers, the keyframe at 0, frames viewers already have.
        h.PublishHeaders();
        h.PublishGop(0, 1000);
        h.Publish(h.Frames.AacRaw(980));
        h.Publish(h.Frames.InterFrame(1040));
        h.Publish(h.Frames.AacRaw(1003));
        h.Publish(h.Frames.InterFrame(1080));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@1040 Audio@1003 Video@1080", FlvTags.Describe(tags));
        Assert.Equal(1, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void A_continuing_source_that_does_not_overlap_starts_its_video_at_a_keyframe()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(0, 1000);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        // A stall lost 1040..1160: nothing shows 1200 follows what was sent, so it waits for the keyframe.
        h.Publish(h.Frames.InterFrame(1200));
        h.Publish(h.Frames.KeyFrame(1240));
        h.Publish(h.Frames.InterFrame(1280));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@1240 Video@1280", FlvTags.Describe(tags));
    }

    [Fact]
    public void A_new_sequence_header_from_the_continuing_source_is_passed_on()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(0, 400);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        h.Publish(h.Frames.Make(Appliance.Streaming.Media.FrameKind.Video, 440, Appliance.Streaming.Media.FrameFlags.KeyFrame | Appliance.Streaming.Media.FrameFlags.SequenceHeader,
            [0x17, 0x00, 0, 0, 0, 1, 0x4d, 0x40, 0x1f, 0xff, 0xe1, 0, 0]));
        h.Publish(h.Frames.KeyFrame(440));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@440 Video@440", FlvTags.Describe(tags));
        Assert.True(StreamHarness.IsSequenceHeader(tags[0]));
    }

    [Theory]
    [InlineData(60_000)]
    [InlineData(0)]
    public void A_source_on_another_timeline_is_moved_just_after_the_last_frame(long start)
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(20_000, 21_000);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source, mayContinue: true);
        h.Publish(h.Frames.KeyFrame(start));
        h.Publish(h.Frames.InterFrame(start + 40));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@21001 Video@21041", FlvTags.Describe(tags));
        Assert.Equal(0, h.Stream.SeamlessSourceChanges);
    }

    [Fact]
    public void Without_may_continue_even_the_same_timeline_is_rebased()
    {
        var h = new StreamHarness();
        h.PublishGop(0, 400);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.Rebase(h.Source);
        h.Publish(h.Frames.KeyFrame(0));
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Video@401", FlvTags.Describe(tags));
    }
}
