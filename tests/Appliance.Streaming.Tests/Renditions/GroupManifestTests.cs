using System.Text;
using Appliance.Codecs.Dash;
using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;

namespace Appliance.Streaming.Tests.Renditions;

public sealed class GroupManifestTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    /// <summary>The MPD a rendition's own packager would write: one period per timeline, video and audio.</summary>
    private static DashManifest Mpd(string name, long bandwidth, int height, params (string Id, long Pto, long FirstNumber, long FirstStart)[] periods) =>
        new(Start, Start.AddHours(1), 2000, [.. periods.Select(p => new DashPeriod(p.Id, p.Pto / 90, [
            new DashAdaptationSet(0, DashContentType.Video, [new DashRepresentation("video", "avc1.64001e", bandwidth,
                new DashSegmentTemplate(90_000, $"{name}/video-init-0000000{height % 10}.mp4", $"{name}/video-$Number$.m4s")
                {
                    StartNumber = p.FirstNumber,
                    PresentationTimeOffset = p.Pto,
                    Timeline = [.. Enumerable.Range(0, 3).Select(i => new DashSegmentTime(p.FirstStart + i * 180_000, 180_000))],
                }) { Height = height, Width = height * 16 / 9 }]),
            new DashAdaptationSet(1, DashContentType.Audio, [new DashRepresentation("audio", "mp4a.40.2", 64_000,
                new DashSegmentTemplate(44_100, $"{name}/audio-init-00000001.mp4", $"{name}/audio-$Number$.m4s") { StartNumber = p.FirstNumber })]),
        ]))]);

    private static Rendition Rendition(string name, long peak, DashManifest? mpd) =>
        new(new StreamKey("default", "live", name)) { PeakBitsPerSecond = peak, HasVideo = true, HasAudio = true, Dash = mpd };

    [Fact]
    public void One_video_adaptation_set_holds_a_representation_per_rendition_lowest_first_with_its_own_segments_and_token()
    {
        var top = Rendition("cam", 1_200_000, Mpd("cam", 1_100_000, 360, ("p1800", 0, 1800, 324_000_000)));
        var mid = Rendition("cam_240p", 400_000, Mpd("cam_240p", 340_000, 240, ("p1800", 0, 1800, 324_000_000)));
        var low = Rendition("cam_144p", 150_000, Mpd("cam_144p", 100_000, 144, ("p1800", 0, 1800, 324_000_000)));

        var manifest = GroupManifest.Build([low, mid, top], top, r => $"hls_session=t-{r.Name}")!;

        var period = Assert.Single(manifest.Periods);
        var video = period.AdaptationSets.Single(s => s.ContentType == DashContentType.Video);
        Assert.Equal(["cam_144p", "cam_240p", "cam"], video.Representations.Select(r => r.Id));
        Assert.Equal([100_000L, 340_000L, 1_100_000L], video.Representations.Select(r => r.Bandwidth));
        Assert.Equal("cam_240p/video-$Number$.m4s?hls_session=t-cam_240p", video.Representations[1].SegmentTemplate.Media);
        Assert.Equal("cam_240p/video-init-00000000.mp4?hls_session=t-cam_240p", video.Representations[1].SegmentTemplate.Initialization);
        var audio = Assert.Single(period.AdaptationSets.Single(s => s.ContentType == DashContentType.Audio).Representations);
        Assert.Equal("cam/audio-$Number$.m4s?hls_session=t-cam", audio.SegmentTemplate.Media);
        Assert.Equal(top.Dash!.AvailabilityStartTime, manifest.AvailabilityStartTime);

        var xml = Encoding.UTF8.GetString(DashManifestWriter.Write(manifest));
        Assert.Equal(1, CountOf(xml, "contentType=\"video\""));
        Assert.Equal(3, CountOf(xml, "<Representation id=\"cam"));
        Assert.Contains("media=\"cam_144p/video-$Number$.m4s?hls_session=t-cam_144p\"", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rendition_whose_timeline_began_before_the_tops_period_keeps_only_its_segments_from_the_period_on()
    {
        // The top's packager had a break: its current period starts at media time 324_180_000 (90 kHz).
        var top = Rendition("cam", 1_200_000, Mpd("cam", 1_100_000, 360, ("p1700", 0, 1700, 0), ("p1801", 324_180_000, 1801, 324_180_000)));
        var low = Rendition("cam_144p", 150_000, Mpd("cam_144p", 100_000, 144, ("p1800", 0, 1800, 324_000_000)));

        var manifest = GroupManifest.Build([low, top], top, _ => null)!;

        Assert.Equal(2, manifest.Periods.Count);
        Assert.Equal(["cam"], manifest.Periods[0].AdaptationSets[0].Representations.Select(r => r.Id));
        var current = manifest.Periods[1].AdaptationSets[0].Representations;
        Assert.Equal(["cam_144p", "cam"], current.Select(r => r.Id));
        var template = current[0].SegmentTemplate;
        Assert.Equal(324_180_000, template.PresentationTimeOffset);
        Assert.Equal(1801, template.StartNumber);
        Assert.Equal([324_180_000L, 324_360_000L], template.Timeline.Select(t => t.Start));
        Assert.Equal("cam_144p/video-$Number$.m4s", template.Media);
    }

    [Fact]
    public void A_dollar_in_a_query_is_doubled_in_the_templates()
    {
        var top = Rendition("cam", 1_200_000, Mpd("cam", 1_100_000, 360, ("p1", 0, 1, 0)));

        var manifest = GroupManifest.Build([top], top, _ => "k=a$b")!;

        Assert.Equal("cam/video-$Number$.m4s?k=a$$b", manifest.Periods[0].AdaptationSets[0].Representations[0].SegmentTemplate.Media);
    }

    [Fact]
    public void No_mpd_before_the_top_rendition_has_one()
    {
        var top = Rendition("cam", 1_200_000, null);

        Assert.Null(GroupManifest.Build([top], top, _ => null));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
