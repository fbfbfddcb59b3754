using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>EXT-X-PROGRAM-DATE-TIME says when a segment was live, across republishes of old streams too.</summary>
public class HlsProgramDateTimeTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void After_a_republish_the_program_date_time_is_anchored_to_the_wall_clock_again()
    {
        using var hls = new HlsHarness(app => app.PublisherGraceMs = 60_000);
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        var start = DateTimeOffset.UtcNow;
        hls.PublishMedia(Hour, Hour + 8_040);

        // The new encoder stamps its media two hours in and its headers 0; the stream moves it just after the last frame.
        hls.Republish();
        hls.PublishHeaders();
        var republished = DateTimeOffset.UtcNow;
        hls.PublishMedia(2 * Hour, 2 * Hour + 6_040);

        var before = window.Segments.Where(s => !s.Discontinuity).First();
        var after = window.Segments.Single(s => s.Discontinuity);
        // Published faster than real time: the first timeline's dates run ahead of the clock, from its start.
        Assert.InRange(before.ProgramDateTime, start.AddSeconds(-1), start.AddSeconds(1));
        Assert.InRange(after.ProgramDateTime, republished.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.InRange(after.StartMs, Hour + 8_000, Hour + 8_040);
    }
}
