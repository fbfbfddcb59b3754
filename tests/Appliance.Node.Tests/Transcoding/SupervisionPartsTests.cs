using Appliance.Node.Transcoding;

namespace Appliance.Node.Tests.Transcoding;

/// <summary>What supervision reads and decides: ffmpeg's progress, a process's CPU, the restart backoff, the log budget, masking.</summary>
public sealed class SupervisionPartsTests
{
    [Fact]
    public void The_backoff_doubles_from_half_a_second_to_thirty()
    {
        Assert.Equal([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000], Enumerable.Range(1, 8).Select(TranscoderBackoff.DelayMs));
        Assert.Equal(30_000, TranscoderBackoff.DelayMs(1000));
    }

    [Fact]
    public void A_progress_block_is_one_report()
    {
        var progress = new FfmpegProgress();
        string[] block = ["frame=240", "fps=25.03", "stream_0_0_q=-1.0", "bitrate=1286.9kbits/s", "out_time_us=7942000", "drop_frames=2", "speed=1.01x"];

        Assert.All(block, line => Assert.Null(progress.Take(line)));
        var report = progress.Take("progress=continue");

        Assert.Equal(new ProgressReport(240, 25.03, 1.01, 7_942_000, 2, Ended: false), report);
        Assert.True(progress.Take("progress=end")!.Value.Ended);
    }

    [Fact]
    public void Values_ffmpeg_does_not_know_yet_keep_the_last_ones()
    {
        var progress = new FfmpegProgress();
        progress.Take("frame=10");
        progress.Take("speed=0.98x");
        progress.Take("progress=continue");

        progress.Take("speed=N/A");
        progress.Take("fps=N/A");
        progress.Take("garbage");
        progress.Take("=5");
        var report = progress.Take("progress=continue")!.Value;

        Assert.Equal((10L, 0.98), (report.Frames, report.Speed));
    }

    [Theory]
    [InlineData("4242 (ffmpeg) S 4200 4242 4242 0 -1 4194560 8812 0 0 0 1234 56 0 0 20 0 9 0 12345 1 1", 12.90)]
    [InlineData("4242 (my (odd) name) R 1 1 1 0 -1 0 0 0 0 0 100 100 0 0 20 0 1 0 1 1 1", 2.00)]
    public void Cpu_seconds_are_user_plus_system_ticks(string stat, double seconds)
    {
        Assert.Equal(seconds, ProcStat.CpuSeconds(stat)!.Value, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 ffmpeg S 1")]
    [InlineData("4242 (ffmpeg) S 1 2 3")]
    [InlineData("4242 (ffmpeg) S 4200 4242 4242 0 -1 4194560 8812 0 0 0 x 56 0")]
    public void A_line_that_is_no_stat_line_gives_no_cpu(string stat) => Assert.Null(ProcStat.CpuSeconds(stat));

    [Fact]
    public void This_process_has_a_cpu_time_and_a_process_that_is_gone_has_none()
    {
        Assert.NotNull(ProcStat.Read(Environment.ProcessId));
        Assert.Null(ProcStat.Read(int.MaxValue));
    }

    [Fact]
    public void Twenty_lines_a_window_are_written_then_the_rest_counted_once_the_window_closes()
    {
        var now = 0L;
        var budget = new LineBudget(() => now);
        var written = Enumerable.Range(0, 25).Count(i => budget.Take(out _, out _));

        now += LineBudget.WindowMs;
        Assert.True(budget.Take(out var suppressed, out var seconds));

        Assert.Equal(20, written);
        Assert.Equal(5, suppressed);
        Assert.Equal(10, seconds);
    }

    [Theory]
    [InlineData("[tcp @ 0x55] Connection to tcp://127.0.0.1:1935 failed: rtmp://127.0.0.1:1935/live/cam_480p?appliance_internal=00ff: I/O error",
        "[tcp @ 0x55] Connection to tcp://127.0.0.1:1935 failed: rtmp://127.0.0.1:1935/live/cam_480p?appliance_internal=***: I/O error")]
    [InlineData("Output #0, flv, to 'rtmp://h/live/c_1?appliance_internal=ab12&x=1':", "Output #0, flv, to 'rtmp://h/live/c_1?appliance_internal=***&x=1':")]
    [InlineData("frame dropped", "frame dropped")]
    public void A_credential_in_an_ffmpeg_line_is_masked(string line, string masked) => Assert.Equal(masked, FfmpegChild.Mask(line));
}
