using Appliance.Core.Time;
using Appliance.Node.Sessions;
using Appliance.Node.Tests.Support;

namespace Appliance.Node.Tests.Sessions;

/// <summary>Viewers' writes, flushes, bytes and seconds: counted while open, kept when they leave, never going back.</summary>
public sealed class ViewerWriteTotalsTests
{
    [Fact]
    public async Task A_viewer_that_flushed_five_times_shows_five_flushes_and_five_writes_while_open_and_after_it_left()
    {
        using var table = new SessionTable();
        var viewer = new ProbeSession(new PipeConnection(), "http-flv");
        table.Add(viewer);

        await viewer.FlushAndStopAsync(5);
        var open = Of(table.CaptureViewerWrites(MonotonicClock.NowMs), "http-flv");
        table.Remove(viewer);
        table.Remove(viewer);
        var finished = table.CaptureViewerWrites(MonotonicClock.NowMs);

        // Each flush is a one-byte reply.
        Assert.Equal((5L, 5L, 5L), (open.Flushes, open.Writes, open.Bytes));
        Assert.Equal((5L, 5L, 5L), (Of(finished, "http-flv").Flushes, Of(finished, "http-flv").Writes, Of(finished, "http-flv").Bytes));
        Assert.Equal(0, Of(finished, "rtmp").Flushes + Of(finished, "http-ts").Flushes);
    }

    [Theory]
    [InlineData("rtmp-play", "rtmp")]
    [InlineData("http-flv", "http-flv")]
    [InlineData("http-ts", "http-ts")]
    public async Task A_viewer_is_counted_under_the_label_of_appliance_viewers(string protocol, string label)
    {
        using var table = new SessionTable();
        var viewer = new ProbeSession(new PipeConnection(), protocol);
        table.Add(viewer);

        await viewer.FlushAndStopAsync(3);
        var writes = table.CaptureViewerWrites(MonotonicClock.NowMs);

        Assert.Equal(["rtmp", "http-flv", "http-ts"], writes.Select(w => w.Protocol));
        Assert.Equal(3, Of(writes, label).Flushes);
        Assert.Equal(3, writes.Sum(w => w.Flushes));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("hls")]
    [InlineData("rtmp-publish")]
    [InlineData("admin")]
    public async Task Sessions_that_are_not_viewers_are_not_counted(string protocol)
    {
        using var table = new SessionTable();
        var session = new ProbeSession(new PipeConnection(), protocol);
        table.Add(session);

        await session.FlushAndStopAsync(2);
        var open = table.CaptureViewerWrites(MonotonicClock.NowMs);
        table.Remove(session);
        var finished = table.CaptureViewerWrites(MonotonicClock.NowMs);

        Assert.Equal(2, session.Writer.Flushes);
        Assert.All(open.Concat(finished), w => Assert.Equal((0L, 0L, 0.0, 0L), (w.Writes, w.Flushes, w.Seconds, w.Bytes)));
    }

    [Fact]
    public async Task Viewer_seconds_run_from_the_session_start_to_the_capture_and_never_go_back_when_the_viewer_leaves()
    {
        using var table = new SessionTable();
        var viewer = new ProbeSession(new PipeConnection(), "rtmp-play");
        table.Add(viewer);
        await viewer.FlushAndStopAsync(1);

        var open = Of(table.CaptureViewerWrites(viewer.StartedMs + 60_000), "rtmp");
        // It leaves a few milliseconds after it started: its finished total is far less than the 60 s reported.
        table.Remove(viewer);
        var finished = Of(table.CaptureViewerWrites(viewer.StartedMs + 60_000), "rtmp");

        Assert.Equal(60.0, open.Seconds);
        Assert.Equal(60.0, finished.Seconds);
        Assert.Equal(1, finished.Flushes);
    }

    private static ViewerWrites Of(ViewerWrites[] writes, string protocol) => writes.Single(w => w.Protocol == protocol);
}
