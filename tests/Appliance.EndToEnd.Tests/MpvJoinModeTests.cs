using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// mpv (libavformat and libavcodec, as a viewer's player runs them) plays a stream five hours in,
/// joined in each join mode over RTMP, HTTP-FLV and HTTP-TS, for 4 s in real time, through the
/// join burst into the live frames, without an error line and with exit code 0.
/// </summary>
public sealed class MpvJoinModeTests(JoinModesFixture live) : IClassFixture<JoinModesFixture>
{
    [MpvTheory]
    [MemberData(nameof(JoinModeTests.Cases), MemberType = typeof(JoinModeTests))]
    public async Task Mpv_plays_a_stream_joined_in_each_mode_without_an_error_line(string mode, string protocol)
    {
        var url = protocol switch
        {
            "rtmp" => live.Daemon.RtmpUrl($"{mode}/cam"),
            "http-flv" => live.Daemon.HttpUrl($"{mode}/cam.flv"),
            _ => live.Daemon.HttpUrl($"{mode}/cam.ts"),
        };

        // At msg-level error, anything mpv prints is an error line.
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), "mpv",
            "--no-config", "--vo=null", "--ao=null", "--length=4", "--msg-level=all=error", url);

        var output = (run.Stdout + run.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(output.Length == 0, $"mpv printed:\n{string.Join('\n', output)}");
        Assert.Equal(0, run.ExitCode);
    }
}

/// <summary>A theory that runs mpv; skipped, saying so, where mpv is not installed (`apt-get install mpv`).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class MpvTheoryAttribute : TheoryAttribute
{
    public MpvTheoryAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "mpv")));
        if (!found)
        {
            Skip = "mpv is not installed (apt-get install mpv)";
        }
    }
}
