using Appliance.Load.Cli;
using Appliance.Load.Run;
using Appliance.Load.Tests.Viewers;
using Appliance.Load.Viewers;

namespace Appliance.Load.Tests.Run;

/// <summary>A run with --churn against a crafted live HLS origin: who is stopped, who is started, how they count.</summary>
public class ChurnRunTests
{
    // A live playlist (no ENDLIST) whose one segment is missing: a player reloads it and keeps playing.
    private const string Playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:1.0,\ncam/1.ts\n";

    [Fact]
    public async Task Churned_viewers_finish_and_new_ones_take_their_place_until_the_run_ends()
    {
        await using var origin = new FakeOrigin(target => target == "/live/cam.m3u8" ? FakeOrigin.Text(Playlist) : FakeOrigin.NotFound);
        var options = LoadOptions.Parse(["--url", origin.Url("/live/cam.m3u8"), "--viewers", "6", "--churn", "2", "--duration", "3.5", "--ramp", "1000"]);
        Assert.Null(options.Error);
        var run = new LoadRun(options);

        Assert.True(await run.ExecuteAsync());

        // A tick a second after the ramp: each started 2 and stopped up to 2 playing viewers.
        Assert.True(run.ChurnStarted > 0 && run.ChurnStarted % 2 == 0, $"churn started {run.ChurnStarted}");
        Assert.Equal(6 + run.ChurnStarted, run.Viewers.Length);
        Assert.InRange(run.ChurnStopped, 1, run.ChurnStarted);
        Assert.Equal(run.ChurnStopped, run.Viewers.Count(v => v.Churned));
        Assert.All(run.Viewers, v => Assert.Equal(ViewerState.Finished, v.State));
        Assert.Equal(Enumerable.Range(0, run.Viewers.Length), run.Viewers.Select(v => v.Player));
    }
}
