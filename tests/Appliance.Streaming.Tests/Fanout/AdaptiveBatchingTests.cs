using Appliance.Streaming.Settings;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>
/// Adaptive batching (flushIntervalMs -1, the default) on a real stream and real writers, with
/// the clock frozen and deferred flushes run only when the test says: what goes at once and what
/// waits is then certain, whatever the machine's speed.
/// </summary>
public class AdaptiveBatchingTests
{
    private readonly ManualFlushScheduler _scheduler = new() { NowMs = 1000 };

    private StreamHarness NewStream(Action<StreamingAppConfig>? configure = null)
    {
        var h = new StreamHarness(app =>
        {
            app.JoinMode = JoinModes.KeyFrame;
            configure?.Invoke(app);
        });
        h.Stream.UseFlushScheduler(_scheduler, () => _scheduler.NowMs);
        return h;
    }

    [Fact]
    public void TheDefaultIsAdaptive() => Assert.Equal(-1, new StreamingAppConfig().FlushIntervalMs);

    [Fact]
    public async Task ALoneViewerGetsEachFrameWithoutWaitingForAFlush()
    {
        var h = NewStream();
        PublishHeadersAndKeyFrame(h);
        var viewer = RunningViewer.Start(h);
        await viewer.WaitForTagsAsync(4);

        for (var i = 1; i <= 5; i++)
        {
            h.Publish(h.Frames.InterFrame(i * 40));
            await viewer.WaitForTagsAsync(4 + i);
        }

        Assert.Equal(0, _scheduler.Scheduled);
        Assert.Equal(0, h.Stream.AdaptiveWakes.Deferred);
        await viewer.StopAsync();
    }

    [Fact]
    public async Task ManyViewersGetTheFramesOfAnIntervalInOneWriteEach()
    {
        var h = NewStream();
        PublishHeadersAndKeyFrame(h);
        var viewers = Enumerable.Range(0, 200).Select(_ => RunningViewer.Start(h)).ToList();
        foreach (var viewer in viewers)
        {
            await viewer.WaitForTagsAsync(4);
        }
        var writesBefore = viewers.Select(v => v.Sink.WriteCount).ToList();

        // The clock stands still: 200 viewers merge over 20 ms, so all five wait for one flush.
        for (var i = 1; i <= 5; i++)
        {
            h.Publish(h.Frames.InterFrame(i * 40));
        }
        Assert.Equal([1020L], _scheduler.Deadlines);
        Assert.Equal(1, _scheduler.RunDue());

        for (var v = 0; v < viewers.Count; v++)
        {
            await viewers[v].WaitForTagsAsync(9);
            Assert.Equal(writesBefore[v] + 1, viewers[v].Sink.WriteCount);
            Assert.Equal(5, FlvTags.ParseTags(viewers[v].Sink.Writes[^1]).Count);
        }
        Assert.Equal(1, h.Stream.AdaptiveWakes.Deferred);
        foreach (var viewer in viewers)
        {
            await viewer.StopAsync();
        }
    }

    [Fact]
    public async Task AJoiningViewerGetsHeadersAndGopAtOnceWhileAFlushIsPending()
    {
        var h = NewStream();
        var idle = Enumerable.Range(0, 200).Select(_ => h.Subscribe()).ToList();
        PublishHeadersAndKeyFrame(h);
        Assert.Single(_scheduler.Deadlines);

        var joiner = RunningViewer.Start(h);
        await joiner.WaitForTagsAsync(4);

        Assert.Single(_scheduler.Deadlines);
        Assert.Contains(FlvTags.ParseTags(joiner.Sink.AllBytes()), StreamHarness.IsKeyFrame);
        await joiner.StopAsync();
        idle.ForEach(s => s.Writer.Detach());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public async Task AFixedFlushIntervalOverridesTheAdaptiveRule(int flushIntervalMs)
    {
        var h = NewStream(app => app.FlushIntervalMs = flushIntervalMs);
        var idle = Enumerable.Range(0, 200).Select(_ => h.Subscribe()).ToList();
        PublishHeadersAndKeyFrame(h);
        var viewer = RunningViewer.Start(h);
        await viewer.WaitForTagsAsync(4);

        for (var i = 1; i <= 5; i++)
        {
            h.Publish(h.Frames.InterFrame(i * 40));
        }
        // 0: each frame woke the viewer; 30: the writer's flush ticker did. Never the adaptive scheduler.
        await viewer.WaitForTagsAsync(9);

        Assert.Equal(0, _scheduler.Scheduled);
        Assert.Equal((0L, 0L), h.Stream.AdaptiveWakes);
        await viewer.StopAsync();
        idle.ForEach(s => s.Writer.Detach());
    }

    private static void PublishHeadersAndKeyFrame(StreamHarness h)
    {
        h.PublishHeaders();
        h.Publish(h.Frames.KeyFrame(0));
    }
}
