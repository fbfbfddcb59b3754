using Appliance.Codecs.Dash;
using static Appliance.Codecs.Tests.Dash.DashManifests;

namespace Appliance.Codecs.Tests.Dash;

/// <summary>SegmentTimeline run-length: equal contiguous durations collapse into S@r; @t only where the timeline starts or jumps.</summary>
public class DashTimelineTests
{
    private static string Timeline(params DashSegmentTime[] segments)
    {
        var text = AsText(DashManifestWriter.Write(Manifest(new DashPeriod("0", 0, [Video(segments)]))));
        var start = text.IndexOf("          <SegmentTimeline>\n", StringComparison.Ordinal);
        var end = text.IndexOf("          </SegmentTimeline>\n", StringComparison.Ordinal);
        return text[(start + "          <SegmentTimeline>\n".Length)..end].Replace("            ", "", StringComparison.Ordinal);
    }

    [Fact]
    public void EqualDurationsCollapseIntoOneEntry() =>
        Assert.Equal(Lines("<S t=\"0\" d=\"180000\" r=\"4\"/>"), Timeline(Segments(0, 180000, 5)));

    [Fact]
    public void ASingleSegmentHasNoRepeat() =>
        Assert.Equal(Lines("<S t=\"7\" d=\"180000\"/>"), Timeline(new DashSegmentTime(7, 180000)));

    [Fact]
    public void ADifferentDurationStartsANewEntryWithoutRepeatingT() =>
        Assert.Equal(Lines(
            "<S t=\"0\" d=\"180000\" r=\"1\"/>",
            "<S d=\"183600\"/>",
            "<S d=\"180000\" r=\"1\"/>"),
            Timeline([.. Segments(0, 180000, 2), new(360000, 183600), .. Segments(543600, 180000, 2)]));

    [Fact]
    public void AGapOrOverlapWritesTAgainAndBreaksTheRun() =>
        Assert.Equal(Lines(
            "<S t=\"0\" d=\"180000\" r=\"1\"/>",
            "<S t=\"400000\" d=\"180000\"/>",
            "<S t=\"570000\" d=\"180000\"/>"),
            Timeline([.. Segments(0, 180000, 2), new(400000, 180000), new(570000, 180000)]));

    [Fact]
    public void AudioDurationsThatAlternateStayApart() =>
        // AAC at 48 kHz in 2 s segments cut on 1024-sample frames: 96256 and 95232 alternate, no run to collapse.
        Assert.Equal(Lines(
            "<S t=\"0\" d=\"96256\"/>",
            "<S d=\"95232\"/>",
            "<S d=\"96256\"/>"),
            Timeline(new DashSegmentTime(0, 96256), new DashSegmentTime(96256, 95232), new DashSegmentTime(191488, 96256)));
}
