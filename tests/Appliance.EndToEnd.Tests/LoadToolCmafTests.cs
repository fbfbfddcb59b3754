using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// appliance-load's LL-HLS and DASH players against the AOT daemon (a stream an hour in): what the
/// tool reports is what a user running it sees.
/// </summary>
public sealed class LoadToolCmafTests(AgedPublisherFixture live) : IClassFixture<AgedPublisherFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private DaemonProcess Daemon => live.Daemon;

    private static async Task<(ExternalProcess Run, JsonElement Report)> LoadAsync(params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), $"appliance-load-{Guid.NewGuid():N}.json");
        try
        {
            var run = await ExternalProcess.RunAsync(RunTimeout, RepoPaths.LoadTool, [.. args, "--json-file", json]);
            Assert.True(File.Exists(json), $"no JSON report; exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            return (run, report.RootElement.Clone());
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static long Number(JsonElement element, string path)
    {
        foreach (var name in path.Split('.'))
        {
            element = element.GetProperty(name);
        }
        return (long)element.GetDouble();
    }

    [Fact]
    public async Task LL_HLS_LL_DASH_and_DASH_players_play_12_s_without_a_failure_and_the_held_responses_are_timed()
    {
        var (run, report) = await LoadAsync(
            "--url", Daemon.HttpUrl("live/cam/llhls.m3u8"), "--url", Daemon.HttpUrl("live/cam.mpd?ll=1"), "--url", Daemon.HttpUrl("live/cam.mpd"),
            "--viewers", "6", "--duration", "12");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        var total = report.GetProperty("total");
        Assert.Equal(6, Number(total, "made"));
        Assert.Equal(0, Number(total, "failed") + Number(total, "dropped"));
        Assert.Equal(0, Number(total, "stalls"));
        Assert.Equal(0, Number(total, "cmaf.failures"));
        Assert.Equal(0, Number(total, "cmaf.malformed"));
        Assert.True(Number(total, "videoFrames") > 6 * 25 * 8, run.Stdout);

        var targets = report.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("figures").GetProperty("cmaf")).ToArray();
        var (llhls, lldash, dash) = (targets[0], targets[1], targets[2]);
        Assert.Equal(2, Number(llhls, "lowLatencyViewers"));
        Assert.True(Number(llhls, "blockingReloads") > 2 * 2 * 30, run.Stdout);
        Assert.True(Number(llhls, "hintRequests") > 2 * 2 * 30, run.Stdout);
        Assert.Equal(8, Number(llhls, "connections"));
        Assert.Equal(2, Number(lldash, "lowLatencyViewers"));
        Assert.Equal(0, Number(dash, "lowLatencyViewers"));
        Assert.True(Number(dash, "chunks") > 0, run.Stdout);

        var held = report.GetProperty("heldResponses");
        Assert.True(Number(held, "parts") > 2 * 40, run.Stdout);
        Assert.True(Number(held, "blockingReload.held") > 0, run.Stdout);
        Assert.True(Number(held, "part.held") > 0, run.Stdout);
        Assert.True(Number(held, "chunk.held") > 0, run.Stdout);
        // Everyone held for a part is answered well within a part's length of the first.
        Assert.True(held.GetProperty("lastPerPartMs").GetProperty("p99").GetDouble() < 200, run.Stdout);
        Assert.Contains("[held responses: from a part's first response", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("live/nothing/llhls.m3u8", "playlist: HTTP 404 Not Found")]
    [InlineData("live/nothing.mpd?ll=1", "MPD: HTTP 404 Not Found")]
    [InlineData("live/cam.mpd?ll=2", "MPD: HTTP 400 Bad Request")]
    public async Task A_player_refused_its_first_manifest_has_failed_and_the_tool_exits_1(string path, string error)
    {
        var (run, report) = await LoadAsync("--url", Daemon.HttpUrl(path), "--viewers", "2", "--duration", "3");

        Assert.Equal(1, run.ExitCode);
        var total = report.GetProperty("total");
        Assert.Equal(2, Number(total, "failed"));
        Assert.Equal(2, total.GetProperty("errors").GetProperty(error).GetInt32());
        Assert.Equal(2, Number(total, "cmaf.nonOkResponses"));
    }
}
