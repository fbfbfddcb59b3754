using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;

namespace Appliance.Streaming.Tests.Renditions;

public sealed class RenditionGroupTests
{
    internal static Rendition Make(string name, long peak, IReadOnlyList<SegmentBoundary>? boundaries = null) =>
        new(new StreamKey("default", "live", name))
        {
            PeakBitsPerSecond = peak,
            AverageBitsPerSecond = peak * 9 / 10,
            HasVideo = true,
            Boundaries = boundaries ?? [new(10, 20_000), new(11, 22_000), new(12, 24_000)],
        };

    [Fact]
    public void Listed_renditions_go_lowest_bandwidth_first_whatever_the_rule_order()
    {
        var group = RenditionGroup.Evaluate([Make("cam", 1_200_000), Make("cam_144p", 150_000), Make("cam_240p", 400_000)]);

        Assert.Equal(["cam_144p", "cam_240p", "cam"], group.Listed.Select(r => r.Name));
        Assert.Equal("cam", group.Top!.Name);
        Assert.Equal([RenditionState.Top, RenditionState.Aligned, RenditionState.Aligned], group.Entries.Select(e => e.State));
    }

    [Fact]
    public void Equal_bandwidths_are_ordered_by_name()
    {
        var group = RenditionGroup.Evaluate([Make("cam", 500_000), Make("cam_b", 400_000), Make("cam_a", 400_000)]);

        Assert.Equal(["cam_a", "cam_b", "cam"], group.Listed.Select(r => r.Name));
    }

    [Fact]
    public void Misaligned_and_pending_renditions_are_reported_and_left_out()
    {
        var misaligned = Make("cam_240p", 400_000, [new(10, 20_500), new(11, 22_500)]);
        var pending = Make("cam_144p", 150_000, []);

        var group = RenditionGroup.Evaluate([Make("cam", 1_200_000), misaligned, pending]);

        Assert.Equal(["cam"], group.Listed.Select(r => r.Name));
        Assert.Equal(RenditionState.Misaligned, group.Entries[1].State);
        Assert.Equal("segment 10 starts 500 ms from the top rendition's", group.Entries[1].Detail);
        Assert.Equal(RenditionState.Pending, group.Entries[2].State);
        Assert.False(group.Entries[2].Listed);
    }

    [Fact]
    public void The_top_is_listed_even_when_another_rendition_has_more_bandwidth()
    {
        var group = RenditionGroup.Evaluate([Make("cam_480p", 800_000), Make("cam_360p", 900_000)]);

        Assert.Equal(["cam_480p", "cam_360p"], group.Listed.Select(r => r.Name));
        Assert.Equal(RenditionState.Top, group.Entries[0].State);
    }
}
