using Appliance.Streaming.Ingest;

namespace Appliance.Streaming.Tests.Rtmp;

public class TimestampExtenderTests
{
    [Fact]
    public void TimestampsBelowTheWrapPassThrough()
    {
        var clock = new TimestampExtender();

        Assert.Equal(1000, clock.Extend(1000));
        Assert.Equal(2000, clock.Extend(2000));
        Assert.Equal(1990, clock.Extend(1990)); // a small step back (B-frames, audio) is not a wrap
    }

    [Fact]
    public void TheWrapAt32BitsContinuesThe64BitTimeline()
    {
        var clock = new TimestampExtender();
        clock.Extend(0xFFFF_FF00);

        Assert.Equal(0x1_0000_0010, clock.Extend(0x10));
        Assert.Equal(0x1_0000_0050, clock.Extend(0x50));
    }

    [Fact]
    public void AFrameFromJustBeforeTheWrapArrivingAfterItStaysBeforeIt()
    {
        var clock = new TimestampExtender();
        clock.Extend(0xFFFF_FF00);
        clock.Extend(0x10);

        Assert.Equal(0xFFFF_FFF0, clock.Extend(0xFFFF_FFF0));
    }

    [Fact]
    public void TheFirstTimestampStartsTheTimelineWhereverItIs()
    {
        var clock = new TimestampExtender();

        Assert.Equal(0xF000_0000, clock.Extend(0xF000_0000));
    }

    [Fact]
    public void A_header_stamped_0_late_in_an_epoch_does_not_move_the_clock()
    {
        var clock = new TimestampExtender();
        clock.Extend(0xC000_0000);

        // 0 is nearer the next epoch's start than this one's; as a peek it is placed but not followed.
        Assert.Equal(0x1_0000_0000, clock.Peek(0));
        Assert.Equal(0xC000_0028, clock.Extend(0xC000_0028));
    }

    [Fact]
    public void A_peek_before_the_first_timestamp_is_the_timestamp_itself()
    {
        var clock = new TimestampExtender();

        Assert.Equal(0, clock.Peek(0));
        Assert.Equal(0xFFFF_FFEC, clock.Extend(0xFFFF_FFEC));
        Assert.Equal(0x1_0000_0005, clock.Extend(5));
    }

    [Fact]
    public void Started_near_a_parents_time_past_the_wrap_its_32_bit_stamps_extend_into_the_parents_epoch()
    {
        var clock = new TimestampExtender();
        clock.StartNear(0x1_0000_1388);

        // A header stamped before the reference, the GOP cache from before the wrap, then frames after it.
        Assert.Equal(0x1_0000_0000, clock.Peek(0));
        Assert.Equal(0xFFFF_FC18, clock.Extend(0xFFFF_FC18));
        Assert.Equal(0x1_0000_1390, clock.Extend(0x1390));
    }

    [Fact]
    public void A_negative_reference_leaves_the_first_timestamp_to_start_the_timeline()
    {
        var clock = new TimestampExtender();
        clock.StartNear(-1);

        Assert.Equal(0x1388, clock.Extend(0x1388));
    }
}
