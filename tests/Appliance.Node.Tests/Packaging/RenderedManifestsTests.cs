using Appliance.Codecs.Dash;
using Appliance.Codecs.Hls;
using Appliance.Node.Http;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>A CMAF playlist or MPD without a token is written once per snapshot, and never served for a later one.</summary>
public class RenderedManifestsTests
{
    [Fact]
    public void A_snapshot_s_playlist_and_mpd_are_written_once_as_the_writers_write_them()
    {
        using var cam = new CmafServer();
        var snapshot = cam.Packager.Snapshot;
        var playlist = snapshot.Video!.LowLatencyPlaylist;
        var mpd = snapshot.DashLowLatency!;

        var first = RenderedManifests.Of(playlist);

        Assert.Same(first, RenderedManifests.Of(playlist));
        Assert.Equal(HlsMediaPlaylistWriter.Write(playlist), first);
        Assert.Same(RenderedManifests.Of(mpd), RenderedManifests.Of(mpd));
        Assert.Equal(DashManifestWriter.Write(mpd), RenderedManifests.Of(mpd));
    }

    [Fact]
    public async Task Every_player_woken_by_a_part_gets_a_playlist_listing_it_and_the_next_part_a_newer_one()
    {
        using var cam = new CmafServer();
        var (one, two) = (cam.Client(), cam.Client());
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        var (msn, next) = (video.LastPartMsn, video.LastPart + 1);
        var path = $"/live/cam/video-ll.m3u8?_HLS_msn={msn}&_HLS_part={next}";

        var first = one.RequestAsync("GET", path, ct);
        var second = two.RequestAsync("GET", path, ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 2, "both requests to be held");
        cam.PublishUntil(cam.PublishedMs + 200);
        var (a, b) = (await first, await second);
        var held = one.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={msn}&_HLS_part={next + 1}", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the next request to be held");
        cam.PublishUntil(cam.PublishedMs + 200);
        var later = await held;

        // Not necessarily the same bytes: the audio track may have moved the rendition report on in between.
        Assert.Equal(200, a.Status);
        Assert.Equal(200, b.Status);
        Assert.True(ListsPart(a.BodyText, $"video-{msn}.{next}.m4s"), a.BodyText);
        Assert.True(ListsPart(b.BodyText, $"video-{msn}.{next}.m4s"), b.BodyText);
        Assert.False(ListsPart(a.BodyText, $"video-{msn}.{next + 1}.m4s"), a.BodyText);
        Assert.Equal(200, later.Status);
        Assert.True(ListsPart(later.BodyText, $"video-{msn}.{next + 1}.m4s"), later.BodyText);
    }

    private static bool ListsPart(string playlist, string uri) =>
        playlist.Split('\n').Any(line => line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal) && line.Contains($"URI=\"{uri}\"", StringComparison.Ordinal));
}
