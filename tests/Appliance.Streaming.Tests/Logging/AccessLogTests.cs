using Appliance.Streaming.Logging;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Logging;

public sealed class AccessLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-access-").FullName;

    [Fact]
    public void A_line_carries_time_protocol_client_stream_status_bytes_duration_and_reason()
    {
        var line = AccessLog.Format(new DateTime(2026, 11, 24, 1, 2, 3, 456, DateTimeKind.Utc), "rtmp-play", "10.0.0.1:5000", "default/live/cam", "ok", 12, 3456, 7.25, "client closed");

        Assert.Equal("2026-11-24T01:02:03.456Z proto=rtmp-play client=10.0.0.1:5000 stream=default/live/cam status=ok in=12 out=3456 duration=7.2s reason=\"client closed\"\n", line);
    }

    [Fact]
    public void A_protocols_own_fields_come_before_the_reason_and_stay_on_the_line()
    {
        var line = AccessLog.Format(DateTime.UnixEpoch, "srt-publish", "c", "s", "ok", 1, 2, 3, "peer closed", "srt_rtt_ms=0.4 srt_lost_in=3\nproto=x");

        Assert.EndsWith(" duration=3.0s srt_rtt_ms=0.4 srt_lost_in=3?proto=x reason=\"peer closed\"\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_client_chose_cannot_forge_a_line_or_break_the_quoting()
    {
        var line = AccessLog.Format(DateTime.UnixEpoch, "http", "c", "live/x\nproto=forged", "400", 0, 0, 0, "bad \"name\"\r\n");

        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("stream=live/x?proto=forged", line, StringComparison.Ordinal);
        Assert.Contains("reason=\"bad ?name???\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_go_to_the_file_and_a_reopen_after_a_move_starts_a_new_file()
    {
        var path = Path.Combine(_directory, "access.log");
        using var logs = new LogCollector();
        await using var log = new AccessLog(path, logs.CreateLogger("access"));

        log.Write("rtmp-play", "a", "s", "ok", 1, 2, 0.5, "first");
        await Eventually.WaitAsync(() => log.Written == 1, "first line written");
        File.Move(path, path + ".1");
        log.Reopen();
        log.Write("rtmp-play", "b", "s", "ok", 1, 2, 0.5, "second");
        await Eventually.WaitAsync(() => log.Written == 2, "second line written");
        await log.DisposeAsync();

        Assert.Contains("reason=\"first\"", await File.ReadAllTextAsync(path + ".1"), StringComparison.Ordinal);
        var fresh = await File.ReadAllTextAsync(path);
        Assert.Contains("reason=\"second\"", fresh, StringComparison.Ordinal);
        Assert.DoesNotContain("first", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_path_is_logged_and_counted_not_thrown()
    {
        using var logs = new LogCollector();
        await using var log = new AccessLog(Path.Combine(_directory, "missing-dir", "access.log"), logs.CreateLogger("access"));

        log.Write("http", "a", "-", "404", 1, 2, 0, "x");

        await Eventually.WaitAsync(() => log.Dropped == 1, "the line counted as dropped");
        Assert.True(logs.Contains("cannot open the access log"));
    }

    [Fact]
    public async Task Without_a_file_the_line_goes_to_the_console_log()
    {
        using var logs = new LogCollector();
        await using var log = new AccessLog("", logs.CreateLogger("access"));

        log.Write("http-flv", "1.2.3.4:5", "default/live/a", "200", 10, 20, 1, "client closed");

        Assert.True(logs.Contains("access proto=http-flv client=1.2.3.4:5 stream=default/live/a"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
