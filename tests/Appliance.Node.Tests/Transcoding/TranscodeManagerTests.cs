using System.Net;
using Appliance.Node.Config;
using Appliance.Node.Tests.Support;
using Appliance.Node.Transcoding;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Transcoding;

/// <summary>
/// The decisions around the transcoders, with a stand-in for ffmpeg (a script that reads its input
/// and publishes nothing, or one that fails at once): which rung names are the node's to make, no
/// rung above the source, the cap, restarts with backoff, and a stop when the source ends.
/// </summary>
public sealed class TranscodeManagerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ladder-test-").FullName;
    private TestServer _server = null!;
    private TranscodeManager _manager = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private TranscodeManager Start(string ffmpegScript, int maxConcurrent = 4, int idleStopSeconds = 30, TranscoderTimings? timings = null)
    {
        var ffmpeg = Path.Combine(_dir, "ffmpeg");
        File.WriteAllText(ffmpeg, "#!/bin/sh\n" + ffmpegScript + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _server = new TestServer(config =>
        {
            config.Transcode = new TranscodeConfig { FfmpegPath = ffmpeg, MaxConcurrent = maxConcurrent };
            config.Domains[0].Apps[0].Ladder = new LadderConfig
            {
                IdleStopSeconds = idleStopSeconds,
                Rungs =
                [
                    new RungConfig { Label = "480p", Height = 480, VideoBitrate = "1200k" },
                    new RungConfig { Label = "360p", Height = 360, VideoBitrate = "600k" },
                ],
            };
            config.Domains[0].Apps.Add(new AppConfig { Name = "plain" });
        });
        _manager = new TranscodeManager(() => _server.Config, _server.Streams, _server.Context.InternalPublishers, _server.Loggers.CreateLogger("ladder"))
        {
            Timings = timings ?? new TranscoderTimings(),
        };
        _manager.Start(new IPEndPoint(IPAddress.Loopback, 1));
        return _manager;
    }

    private LiveStream Publish(string name, int height, string app = "live", TestSource? source = null)
    {
        var stream = _server.PublishLive(name, new Frames()).Stream;
        if (app != "live" || source is not null)
        {
            stream.End();
            _server.Streams.TryPublish(new StreamKey("default", app, name), _server.Config.Domains[0].Apps.Single(a => a.Name == app), source ?? new TestSource(), out stream);
        }
        stream.Stats.Height = height;
        return stream;
    }

    private async Task WaitForLogAsync(string text)
    {
        try
        {
            await Eventually.WaitAsync(() => _server.Logs.Contains(text), text);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; the log:\n{_server.Logs.Dump()}");
        }
    }

    private static StreamKey Key(string name, string app = "live") => new("default", app, name);

    [Fact]
    public void A_rung_name_is_the_nodes_to_make_only_when_its_source_is_published_here_with_a_ladder()
    {
        var manager = Start("exec cat > /dev/null");
        Publish("cam", 720);
        Publish("other", 720, app: "plain");
        Publish("cam_480p", 480, source: new TestSource("transcoder", relays: true, transcoded: true));

        Assert.True(manager.Makes(Key("cam_480p")));
        Assert.True(manager.Makes(Key("cam_360p")));
        Assert.False(manager.Makes(Key("cam_720p")));
        Assert.False(manager.Makes(Key("cam")));
        Assert.False(manager.Makes(Key("gone_480p")));
        Assert.False(manager.Makes(Key("other_480p", app: "plain")));
        Assert.False(manager.Makes(Key("cam_480p_360p")));
    }

    [Fact]
    public async Task A_rung_at_or_above_the_sources_height_is_not_made_and_no_ffmpeg_starts()
    {
        var manager = Start("exec cat > /dev/null");
        Publish("small", 360);

        var rung = await manager.MakeAsync(Key("small_480p"), "198.51.100.1:5000");
        var same = await manager.MakeAsync(Key("small_360p"), "198.51.100.1:5000");

        Assert.Null(rung);
        Assert.Null(same);
        Assert.Empty(manager.Snapshot());
        Assert.True(_server.Logs.Contains("transcode default/live/small: no rung 480p for 198.51.100.1:5000: the source is 360 pixels high and a ladder does not upscale"), _server.Logs.Dump());
    }

    [Fact]
    public async Task Past_the_cap_a_transcoder_is_refused_with_a_log_line_and_the_source_stays()
    {
        var manager = Start("exec cat > /dev/null", maxConcurrent: 1);
        Publish("a", 720);
        var b = Publish("b", 720);
        var waiting = manager.MakeAsync(Key("a_480p"), "198.51.100.1:5000").AsTask();
        await Eventually.WaitAsync(() => manager.Snapshot() is [{ Pid: > 0, State: "running" }], "the first transcoder's ffmpeg to run");

        var refused = await manager.MakeAsync(Key("b_360p"), "198.51.100.2:5000");

        Assert.Null(refused);
        Assert.Equal(1, manager.Refusals);
        Assert.True(_server.Logs.Contains("transcode default/live/b: refused for 198.51.100.2:5000: 1 transcoders run and transcode.maxConcurrent is 1; the source plays on without its rungs"), _server.Logs.Dump());
        Assert.False(b.IsEnded);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task The_transcoder_stops_and_its_ffmpeg_is_gone_when_the_source_ends()
    {
        var manager = Start("exec cat > /dev/null");
        var source = Publish("cam", 720);
        _ = manager.MakeAsync(Key("cam_480p"), "198.51.100.1:5000").AsTask();
        await Eventually.WaitAsync(() => manager.Snapshot() is [{ Pid: > 0 }], "ffmpeg to run");
        var pid = manager.Snapshot()[0].Pid;

        source.End();

        await Eventually.WaitAsync(() => manager.Snapshot().Count == 0, "the transcoder to stop");
        Assert.True(_server.Logs.Contains("transcode default/live/cam: stopped (the source ended)"), _server.Logs.Dump());
        Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} is still there");
    }

    [Fact]
    public async Task An_ffmpeg_that_fails_is_started_again_with_a_growing_backoff_and_its_lines_are_logged()
    {
        var manager = Start("echo 'Unknown encoder libx264' >&2\nexit 1");
        Publish("cam", 720);

        var waiting = manager.MakeAsync(Key("cam_480p"), "198.51.100.1:5000").AsTask();

        await WaitForLogAsync("failed (exit code 1: Unknown encoder libx264); restart 2 in 1000 ms");
        Assert.True(_server.Logs.Contains("failed (exit code 1: Unknown encoder libx264); restart 1 in 500 ms"), _server.Logs.Dump());
        Assert.False(waiting.IsCompleted);
        Assert.True(_server.Logs.Contains(": Unknown encoder libx264"), _server.Logs.Dump());
        Assert.True(manager.Snapshot()[0].Restarts >= 2);
    }

    [Fact]
    public async Task An_ffmpeg_that_stops_putting_frames_out_while_the_source_goes_on_is_killed_and_started_again()
    {
        // One progress report, then nothing more while it swallows its input.
        var manager = Start("printf 'frame=1\\nprogress=continue\\n'\nexec cat > /dev/null", timings: new TranscoderTimings(StallMs: 1000, StartTimeoutMs: 1000));
        var (source, frames) = (Publish("cam", 720), new Frames());
        _ = manager.MakeAsync(Key("cam_480p"), "198.51.100.1:5000").AsTask();
        await Eventually.WaitAsync(() => manager.Snapshot() is [{ Pid: > 0 }], "ffmpeg to run");
        var pid = manager.Snapshot()[0].Pid;

        for (var ts = 1000L; !_server.Logs.Contains("restart 1 in 500 ms") && ts < 20_000; ts += 40)
        {
            // The source goes on: a frame every 40 ms of media, as fast as the test runs.
            source.Publish(_server.Streams.FindForPlay(Key("cam"))!.Source!, frames.InterFrame(ts));
            await Task.Delay(40);
        }

        await WaitForLogAsync($"ffmpeg pid {pid} failed (stalled: no frame out for ");
        Assert.True(_server.Logs.Contains(" s while the source went on); restart 1 in 500 ms"), _server.Logs.Dump());
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the stalled ffmpeg {pid} is still there");
    }

    [Fact]
    public async Task On_demand_the_transcoder_stops_when_no_rung_was_watched_for_the_idle_time()
    {
        var manager = Start("exec cat > /dev/null", idleStopSeconds: 5);
        Publish("cam", 720);
        _ = manager.MakeAsync(Key("cam_480p"), "198.51.100.1:5000").AsTask();
        await Eventually.WaitAsync(() => manager.Snapshot() is [{ Pid: > 0 }], "ffmpeg to run");
        var pid = manager.Snapshot()[0].Pid;

        await Eventually.WaitAsync(() => manager.Snapshot().Count == 0, TimeSpan.FromSeconds(15), "the idle transcoder to stop");

        Assert.True(_server.Logs.Contains("transcode default/live/cam: stopped (no viewer of a rung for 5 s)"), _server.Logs.Dump());
        Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} is still there");
    }

    [Fact]
    public async Task A_stop_ends_what_ffmpeg_started_too()
    {
        // A stand-in that starts a process of its own, in its process group, then reads its input.
        var manager = Start("sleep 600 &\nexec cat > /dev/null");
        Publish("cam", 720);
        _ = manager.MakeAsync(Key("cam_480p"), "198.51.100.1:5000").AsTask();
        await Eventually.WaitAsync(() => manager.Snapshot() is [{ Pid: > 0 }], "ffmpeg to run");
        var pid = manager.Snapshot()[0].Pid;
        var started = 0;
        await Eventually.WaitAsync(() => (started = ChildOf(pid)) > 0, "the stand-in's own child to start");

        await manager.DisposeAsync();

        await Eventually.WaitAsync(() => !IsRunning(started), $"the process ffmpeg started ({started}) to be gone");
    }

    /// <summary>A child of <paramref name="parent"/>, by /proc (0 if none).</summary>
    private static int ChildOf(int parent)
    {
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && StatFields(pid) is { } fields && fields[1] == parent.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return pid;
            }
        }
        return 0;
    }

    /// <summary>Running: there, and not a zombie waiting for its (new) parent to reap it.</summary>
    private static bool IsRunning(int pid) => StatFields(pid) is { } fields && fields[0] is not ("Z" or "X");

    /// <summary>The fields of /proc/PID/stat after the command name (state, ppid, ...), or null.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Stopping_the_node_ends_every_ffmpeg()
    {
        var manager = Start("exec cat > /dev/null");
        Publish("cam", 720);
        _ = manager.MakeAsync(Key("cam_480p"), "198.51.100.1:5000").AsTask();
        await Eventually.WaitAsync(() => manager.Snapshot() is [{ Pid: > 0 }], "ffmpeg to run");
        var pid = manager.Snapshot()[0].Pid;

        await manager.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} is still there");
        Assert.True(_server.Logs.Contains("transcode default/live/cam: stopped (the node stops)"), _server.Logs.Dump());
    }

    public async Task DisposeAsync()
    {
        if (_manager is not null)
        {
            await _manager.DisposeAsync();
        }
        _server?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
