using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>An encoder's FLV file (x264 + AAC, 6 s, a keyframe a second) that appliance-load publishes with latency stamps.</summary>
public sealed class StampSourceFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-stamps-").FullName;

    public string File => Path.Combine(_directory, "source.flv");

    public async Task InitializeAsync()
    {
        var encode = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(120), "ffmpeg",
            "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "6", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", "800k", "-g", "25", "-keyint_min", "25",
            "-c:a", "aac", "-b:a", "64k", "-f", "flv", File);
        Assert.True(encode.ExitCode == 0, encode.Stderr);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// appliance-load publishes a file with a latency stamp (SEI) in every video frame, past RTMP's
/// 32-bit timestamp wrap, and its viewers of every protocol read every stamp back, through one
/// node and through two tiers: the SEI survives FLV, TS, HLS and CMAF packaging untouched.
/// </summary>
public sealed class LoadToolLatencyTests(StampSourceFixture source) : IClassFixture<StampSourceFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    // 3 s before RTMP's 32-bit millisecond timestamps wrap (2^32 ms is 4294967.296 s).
    private const string AgedStart = "4294964";

    private static readonly string[] Paths = ["live/stamped", "live/stamped.flv", "live/stamped.ts", "live/stamped.m3u8", "live/stamped/llhls.m3u8", "live/stamped.mpd?ll=1"];

    [Fact]
    public async Task Viewers_of_every_protocol_read_every_stamp_of_a_stream_published_with_stamps()
    {
        await using var node = await DaemonProcess.StartAsync();

        var (run, report) = await PublishAndWatchAsync(node, node);

        AssertEveryViewerReadEveryStamp(run, report);
    }

    [Fact]
    public async Task The_stamps_survive_two_tiers_to_viewers_of_every_protocol_at_the_edge()
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("edge"));

        var (run, report) = await PublishAndWatchAsync(origin, edge);

        AssertEveryViewerReadEveryStamp(run, report);
    }

    [Fact]
    public async Task A_publisher_the_node_refuses_fails_the_run_with_exit_1_and_says_why()
    {
        await using var node = await DaemonProcess.StartAsync();

        var run = await ExternalProcess.RunAsync(RunTimeout, RepoPaths.LoadTool,
            "--publish", node.RtmpUrl("nosuchapp/stamped"), "--source", source.File, "--url", node.RtmpUrl("nosuchapp/stamped"), "--duration", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"appliance-load: publishing to {node.RtmpUrl("nosuchapp/stamped")}: ", run.Stderr, StringComparison.Ordinal);
        Assert.True(node.HasExited is false);
    }

    [Fact]
    public async Task A_source_that_is_not_an_flv_file_is_refused_with_exit_2()
    {
        var run = await ExternalProcess.RunAsync(RunTimeout, RepoPaths.LoadTool,
            "--publish", "rtmp://127.0.0.1:1/live/stamped", "--source", "/proc/version", "--duration", "2");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("appliance-load: --source /proc/version: ", run.Stderr, StringComparison.Ordinal);
    }

    private async Task<(ExternalProcess Run, JsonElement Report)> PublishAndWatchAsync(DaemonProcess publishTo, DaemonProcess watch)
    {
        var args = new List<string>
        {
            "--publish", publishTo.RtmpUrl("live/stamped"), "--source", source.File, "--publish-start", AgedStart,
            // HLS starts three segments from the end: let the node make them first.
            "--viewers-after", "6", "--viewers", Paths.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "10",
        };
        foreach (var path in Paths)
        {
            args.AddRange(["--url", path == Paths[0] ? watch.RtmpUrl(path) : watch.HttpUrl(path)]);
        }
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

    private static void AssertEveryViewerReadEveryStamp(ExternalProcess run, JsonElement report)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        var publisher = report.GetProperty("publisher");
        Assert.Equal(JsonValueKind.Null, publisher.GetProperty("error").ValueKind);
        // 16 s of 25 fps, the file looped at least twice.
        Assert.True(publisher.GetProperty("videoFrames").GetInt64() > 25 * 14, run.Stdout);
        Assert.True(publisher.GetProperty("loops").GetInt64() >= 2, run.Stdout);

        foreach (var target in report.GetProperty("targets").EnumerateArray())
        {
            var url = target.GetProperty("url").GetString();
            var figures = target.GetProperty("figures");
            var latency = figures.GetProperty("latency");
            var samples = latency.GetProperty("glassToGlassMs").GetProperty("count").GetInt64();
            Assert.True(latency.GetProperty("viewersWithSamples").GetInt32() == 1, $"{url}: no stamp read\n{run.Stdout}");
            // Every video frame the viewer got carried its stamp (8 s at least of 25 fps).
            Assert.True(samples > 25 * 4, $"{url}: {samples} stamps\n{run.Stdout}");
            Assert.True(figures.GetProperty("videoFrames").GetInt64() == samples, $"{url}: {samples} stamps in {figures.GetProperty("videoFrames")} frames\n{run.Stdout}");
            Assert.True(latency.GetProperty("notIncreasing").GetInt64() == 0, $"{url}: stamps went back\n{run.Stdout}");
            Assert.True(latency.GetProperty("fromTheFuture").GetInt64() == 0, $"{url}: negative latency\n{run.Stdout}");
            Assert.True(latency.GetProperty("glassToGlassMs").GetProperty("p50").GetDouble() >= 0, url);
        }
    }
}
