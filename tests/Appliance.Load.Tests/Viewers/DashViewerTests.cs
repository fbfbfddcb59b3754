using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Tests.Cmaf;
using Appliance.Load.Viewers;
using Appliance.Load.Viewers.Dash;

namespace Appliance.Load.Tests.Viewers;

/// <summary>A DASH player against a crafted origin: what it asks for, and what it reports.</summary>
public class DashViewerTests
{
    private static readonly byte[] Init = CmafMedia.Init(CmafMedia.Video());
    private static readonly byte[] Segment = [.. CmafMedia.Chunk(CmafMedia.Video(), 1, 5, segmentType: true), .. CmafMedia.Chunk(CmafMedia.Video(), 2, 5)];

    private static string Mpd(string type, string content = "video", string media = "cam/v-$Number$.m4s") =>
        $"<MPD type=\"{type}\"><Period><AdaptationSet contentType=\"{content}\"><SegmentTemplate timescale=\"1000\" initialization=\"cam/init.mp4\" media=\"{media}\" startNumber=\"1\">"
        + "<SegmentTimeline><S t=\"0\" d=\"2000\" r=\"1\"/></SegmentTimeline></SegmentTemplate></AdaptationSet></Period></MPD>";

    private static async Task<ViewerStats> PlayAsync(FakeOrigin origin, PartClock clock)
    {
        Assert.True(StreamUrl.TryParse(origin.Url("/live/cam.mpd"), out var url, out var problem), problem);
        var stats = new ViewerStats(0, url.Protocol);
        using var runOver = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await DashViewer.RunAsync(url, clock, stats, TimeSpan.FromSeconds(5), runOver.Token);
        return stats;
    }

    private static (int, byte[]) Origin(string target, string mpd) => target switch
    {
        "/live/cam.mpd" => FakeOrigin.Text(mpd),
        "/live/cam/init.mp4" => (200, Init),
        "/live/cam/v-1.m4s" or "/live/cam/v-2.m4s" => (200, Segment),
        _ => FakeOrigin.NotFound,
    };

    [Fact]
    public async Task A_static_mpd_is_played_segment_by_segment_to_its_end_and_each_chunk_is_timed()
    {
        await using var origin = new FakeOrigin(target => Origin(target, Mpd("static")));
        var clock = new PartClock();

        var stats = await PlayAsync(origin, clock);

        Assert.Equal(ViewerState.Dropped, stats.State);
        Assert.Equal("the MPD became static and its segments are all in", stats.Error);
        var cmaf = stats.Cmaf!;
        Assert.False(cmaf.LowLatency);
        Assert.Equal(0, cmaf.Failures);
        Assert.Equal(4, cmaf.Fragments);
        Assert.Equal(20, stats.VideoFrames);
        Assert.Equal(["/live/cam.mpd", "/live/cam/init.mp4", "/live/cam/v-1.m4s", "/live/cam/v-2.m4s"], origin.Requests);
        var figures = clock.Finish();
        Assert.Equal(4, figures.AtOnce[(int)HeldKind.Chunk]);
        Assert.Equal(0, figures.Held[(int)HeldKind.Chunk]);
    }

    [Fact]
    public async Task An_mpd_without_video_or_audio_drops_the_player()
    {
        await using var origin = new FakeOrigin(target => Origin(target, Mpd("dynamic", content: "text")));

        var stats = await PlayAsync(origin, new PartClock());

        Assert.Equal(ViewerState.Dropped, stats.State);
        Assert.Equal("the MPD has no video or audio AdaptationSet with a SegmentTemplate", stats.Error);
    }

    [Fact]
    public async Task A_template_with_other_identifiers_drops_the_player()
    {
        await using var origin = new FakeOrigin(target => Origin(target, Mpd("dynamic", media: "cam/$RepresentationID$-$Number$.m4s")));

        var stats = await PlayAsync(origin, new PartClock());

        Assert.Equal(ViewerState.Dropped, stats.State);
        Assert.Equal("a segment URI on another server, or a template with more than $Number$", stats.Error);
    }

    [Fact]
    public async Task A_malformed_mpd_fails_the_player()
    {
        await using var origin = new FakeOrigin(_ => FakeOrigin.Text("<html>no</html>"));

        var stats = await PlayAsync(origin, new PartClock());

        Assert.Equal(ViewerState.Failed, stats.State);
        Assert.Equal("malformed MPD: no MPD element", stats.Error);
        Assert.Equal(1, stats.Cmaf!.Malformed);
    }
}
