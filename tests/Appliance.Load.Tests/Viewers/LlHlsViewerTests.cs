using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Tests.Cmaf;
using Appliance.Load.Viewers;
using Appliance.Load.Viewers.LlHls;

namespace Appliance.Load.Tests.Viewers;

/// <summary>An LL-HLS player against a crafted origin: what it asks for, and what it reports.</summary>
public class LlHlsViewerTests
{
    private const string Playlist = """
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.6
        #EXT-X-PART-INF:PART-TARGET=0.2
        #EXT-X-MEDIA-SEQUENCE:5
        #EXT-X-MAP:URI="init.mp4"
        #EXT-X-PART:DURATION=0.2,URI="p5.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.2,URI="p5.1.m4s"
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="p5.2.m4s"

        """;

    private static readonly byte[] Init = CmafMedia.Init(CmafMedia.Video());
    private static readonly byte[] Part = CmafMedia.Chunk(CmafMedia.Video(), 1, samples: 5);

    private static async Task<ViewerStats> PlayAsync(FakeOrigin origin, string path, TimeSpan runFor, PartClock? clock = null)
    {
        Assert.True(StreamUrl.TryParse(origin.Url(path), out var url, out var problem), problem);
        var stats = new ViewerStats(0, url.Protocol) { Player = 3 };
        using var runOver = new CancellationTokenSource(runFor);
        await LlHlsViewer.RunAsync(url, clock ?? new PartClock(), stats, TimeSpan.FromSeconds(5), runOver.Token);
        return stats;
    }

    /// <summary>Plays until <paramref name="done"/> holds (then stops the player), or fails at the deadline.</summary>
    private static async Task<ViewerStats> PlayUntilAsync(FakeOrigin origin, string path, Func<ViewerStats, bool> done, string what)
    {
        Assert.True(StreamUrl.TryParse(origin.Url(path), out var url, out var problem), problem);
        var stats = new ViewerStats(0, url.Protocol) { Player = 3 };
        using var stop = new CancellationTokenSource();
        var playing = LlHlsViewer.RunAsync(url, new PartClock(), stats, TimeSpan.FromSeconds(5), stop.Token);
        var deadline = Environment.TickCount64 + 20_000;
        while (!done(stats) && !playing.IsCompleted && Environment.TickCount64 < deadline)
        {
            await Task.Delay(10);
        }
        var met = done(stats);
        await stop.CancelAsync();
        await playing;
        Assert.True(met, $"the player never {what} (state {stats.State}, error {stats.Error})");
        return stats;
    }

    private static (int, byte[]) Origin(string target) => target.Split('?')[0] switch
    {
        "/live/cam/video-ll.m3u8" => FakeOrigin.Text(Playlist),
        "/live/cam/init.mp4" => (200, Init),
        "/live/cam/p5.0.m4s" or "/live/cam/p5.1.m4s" => (200, Part),
        _ => FakeOrigin.NotFound,
    };

    [Fact]
    public async Task It_reloads_blocking_for_the_hint_fetches_each_part_once_and_a_hint_never_made_is_no_failure()
    {
        await using var origin = new FakeOrigin(Origin);

        var stats = await PlayUntilAsync(origin, "/live/cam/video-ll.m3u8", s => s.Cmaf is { Fragments: >= 2, HintsNotMade: >= 1, BlockingReloads: >= 1 },
            "fetched both parts, asked for the hint and reloaded blocking");

        Assert.Equal(ViewerState.Finished, stats.State);
        var cmaf = stats.Cmaf!;
        Assert.Equal(0, cmaf.Failures);
        Assert.Equal(0, cmaf.Malformed);
        Assert.Equal(2, cmaf.Fragments);
        Assert.Equal(10, stats.VideoFrames);
        Assert.True(stats.FirstKeyFrameMs >= 0);
        Assert.True(cmaf.HintsNotMade >= 1, $"hints not made: {cmaf.HintsNotMade}");
        Assert.True(cmaf.BlockingReloads >= 1);
        var requests = origin.Requests;
        Assert.Contains("/live/cam/video-ll.m3u8?_HLS_msn=5&_HLS_part=2", requests);
        Assert.Single(requests, r => r == "/live/cam/init.mp4");
        Assert.Single(requests, r => r == "/live/cam/p5.0.m4s");
        Assert.Single(requests, r => r == "/live/cam/p5.1.m4s");
        Assert.Contains("/live/cam/p5.2.m4s", requests);
        // The first playlist's connection goes on with the reloads; the parts have their own.
        Assert.Equal(2, cmaf.Connections);
    }

    [Fact]
    public async Task From_a_multivariant_playlist_it_follows_the_variant_and_its_audio()
    {
        const string multivariant = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"a\",DEFAULT=YES,URI=\"audio-ll.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\nvideo-ll.m3u8\n";
        await using var origin = new FakeOrigin(target => target switch
        {
            "/live/cam/llhls.m3u8" => FakeOrigin.Text(multivariant),
            "/live/cam/audio-ll.m3u8" => FakeOrigin.Text(Playlist),
            _ => Origin(target),
        });

        // Both tracks' parts, however slowly this machine runs the two loops.
        var stats = await PlayUntilAsync(origin, "/live/cam/llhls.m3u8", s => s.Cmaf is { Fragments: >= 4 }, "fetched both tracks' two parts");

        Assert.Equal(ViewerState.Finished, stats.State);
        Assert.Contains("/live/cam/video-ll.m3u8", origin.Requests);
        Assert.Contains("/live/cam/audio-ll.m3u8", origin.Requests);
        Assert.Equal(4, stats.Cmaf!.Fragments);
        Assert.Equal(4, stats.Cmaf.Connections);
    }

    [Fact]
    public async Task A_media_playlist_on_another_server_drops_the_player()
    {
        await using var origin = new FakeOrigin(target => FakeOrigin.Text("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nhttp://10.1.2.3/live/cam/video-ll.m3u8\n"));

        var stats = await PlayAsync(origin, "/live/cam/llhls.m3u8", TimeSpan.FromSeconds(5));

        Assert.Equal(ViewerState.Dropped, stats.State);
        Assert.Equal("a media playlist URI on another server", stats.Error);
        Assert.Equal(["/live/cam/llhls.m3u8"], origin.Requests);
    }

    [Fact]
    public async Task A_playlist_without_parts_drops_the_player_as_malformed()
    {
        await using var origin = new FakeOrigin(target => FakeOrigin.Text("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.m4s\n"));

        var stats = await PlayAsync(origin, "/live/cam/video-ll.m3u8", TimeSpan.FromSeconds(5));

        Assert.Equal(ViewerState.Dropped, stats.State);
        Assert.Equal("malformed playlist: not a low-latency playlist (no #EXT-X-PART-INF)", stats.Error);
        Assert.Equal(1, stats.Cmaf!.Malformed);
    }

    [Fact]
    public async Task A_first_playlist_refused_fails_the_player()
    {
        await using var origin = new FakeOrigin(_ => FakeOrigin.NotFound);

        var stats = await PlayAsync(origin, "/live/cam/llhls.m3u8", TimeSpan.FromSeconds(5));

        Assert.Equal(ViewerState.Failed, stats.State);
        Assert.Equal("playlist: HTTP 404 Not Found", stats.Error);
        Assert.Equal(1, stats.Cmaf!.NonOkResponses);
    }
}
