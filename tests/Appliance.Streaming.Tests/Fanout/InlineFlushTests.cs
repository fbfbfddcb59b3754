using System.Net.Sockets;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>
/// A merged flush writes each idle viewer from the flush's own work items (FlushChunk) instead of
/// waking its send loop; whatever it cannot finish there (a write the socket did not take at once,
/// replies queued, a failed write) goes to the loop, in order. Real stream, real writers, the
/// clock frozen and flushes run when the test says.
/// </summary>
public class InlineFlushTests
{
    // Enough viewers that the stream merges (one more millisecond per ten) and that the flush
    // spans several chunks.
    private const int Viewers = 150;

    // A stream 49.7 days old: its first flush carries the media past the FLV (and RTMP) 32-bit
    // timestamp wrap, so ordering and lag are held on the 64-bit timeline, not on young numbers.
    private const long Start = (1L << 32) - 160;

    private readonly ManualFlushScheduler _scheduler = new() { NowMs = 1000 };

    [Fact]
    public async Task AMergedFlushWritesIdleViewersWithoutWakingTheirSendLoops()
    {
        var h = NewStream();
        var viewers = await JoinAsync(h, Viewers, () => new RecordingSink());
        var wakes = viewers.Select(v => v.Writer.LoopWakes).ToList();

        PublishFiveAndFlush(h, from: 1);

        for (var v = 0; v < viewers.Count; v++)
        {
            await viewers[v].WaitForTagsAsync(9);
            Assert.Equal(5, FlvTags.ParseTags(viewers[v].Sink.Writes[^1]).Count);
            Assert.Equal(wakes[v], viewers[v].Writer.LoopWakes);
        }
        await StopAsync(viewers);
    }

    [Fact]
    public async Task ASinkThatCompletesLaterIsWrittenByItsSendLoopAsBefore()
    {
        var h = NewStream();
        var viewers = await JoinAsync(h, Viewers, () => new RecordingSink { WritesInline = false });
        var wakes = viewers.Select(v => v.Writer.LoopWakes).ToList();

        PublishFiveAndFlush(h, from: 1);

        for (var v = 0; v < viewers.Count; v++)
        {
            await viewers[v].WaitForTagsAsync(9);
            Assert.Equal(wakes[v] + 1, viewers[v].Writer.LoopWakes);
        }
        await StopAsync(viewers);
    }

    [Fact]
    public async Task AWriteTheSocketDidNotTakeAtOnceKeepsTheSinkUntilDoneAndTheNextFlushFollowsInOrder()
    {
        var h = NewStream();
        var viewers = await JoinAsync(h, Viewers - 1, () => new RecordingSink());
        var slowSink = new RecordingSink(gated: true);
        var slow = RunningViewer.Start(h, slowSink);
        slowSink.Allow(1);
        await slow.WaitForTagsAsync(4);

        PublishFiveAndFlush(h, from: 1);
        await Eventually.WaitAsync(() => slowSink.WriteCount == 2, "the first flush's write started");
        // Its write has not completed: the second flush finds the sink owned and leaves it to the loop.
        PublishFiveAndFlush(h, from: 6);
        foreach (var viewer in viewers)
        {
            await viewer.WaitForTagsAsync(14);
        }
        Assert.Equal(2, slowSink.WriteCount);

        slowSink.Allow(2);
        await slow.WaitForTagsAsync(14);
        var writes = slowSink.Writes;
        Assert.Equal(3, writes.Count);
        Assert.Equal(WireStamps(from: 1), FlvTags.ParseTags(writes[1]).Select(t => t.Timestamp));
        Assert.Equal(WireStamps(from: 6), FlvTags.ParseTags(writes[2]).Select(t => t.Timestamp));
        await StopAsync([.. viewers, slow]);
    }

    [Fact]
    public async Task RepliesQueuedBeforeAFlushGoOutFirstThenItsMedia()
    {
        var h = NewStream();
        var viewers = await JoinAsync(h, Viewers, () => new RecordingSink());
        var replying = viewers[^1];
        // As an HTTP session does while it answers requests: queued, no wake-up.
        replying.Writer.HoldWakeups();
        replying.Writer.Send("reply"u8);

        PublishFiveAndFlush(h, from: 1);

        await Eventually.WaitAsync(() => replying.Sink.AllBytes().Length > 0 && FlvTagsAfterReply(replying.Sink).Count == 5, "the reply, then five tags");
        await StopAsync(viewers);
    }

    [Fact]
    public async Task AWriteThatFailsAtOnceEndsThatViewerAndTheOthersGetTheFlush()
    {
        var h = NewStream();
        var viewers = await JoinAsync(h, Viewers - 1, () => new RecordingSink());
        var resetSink = new ResettingSink();
        var resetWriter = new ConnectionWriter(resetSink);
        var run = resetWriter.RunAsync();
        Assert.NotNull(h.Stream.Subscribe(resetWriter, WireFormat.Flv));
        await Eventually.WaitAsync(() => resetSink.Writes > 0, "the join's write");
        resetSink.FailNow = true;

        PublishFiveAndFlush(h, from: 1);

        Assert.StartsWith("write failed", await run.WaitAsync(Eventually.Timeout));
        foreach (var viewer in viewers)
        {
            await viewer.WaitForTagsAsync(9);
        }
        await StopAsync(viewers);
    }

    [Fact]
    public async Task AWriteThatFailsLaterEndsThatViewer()
    {
        var h = NewStream();
        var resetSink = new ResettingSink();
        var resetWriter = new ConnectionWriter(resetSink);
        var run = resetWriter.RunAsync();
        var viewers = await JoinAsync(h, Viewers - 1, () => new RecordingSink());
        Assert.NotNull(h.Stream.Subscribe(resetWriter, WireFormat.Flv));
        await Eventually.WaitAsync(() => resetSink.Writes > 0, "the join's write");
        var pending = resetSink.HoldNext();

        PublishFiveAndFlush(h, from: 1);
        await Eventually.WaitAsync(() => resetSink.Writes > 1, "the flush's write started");
        pending.SetException(new SocketException((int)SocketError.ConnectionReset));

        Assert.StartsWith("write failed", await run.WaitAsync(Eventually.Timeout));
        await StopAsync(viewers);
    }

    [Fact]
    public async Task AViewerTheFlushFindsTooFarBehindIsClosedAsTooSlow()
    {
        // One skip ahead is already too many, and 1 s behind is behind.
        var h = NewStream(app =>
        {
            app.MaxViewerSkipsPerMinute = 0;
            app.MaxViewerLagMs = 1000;
        });
        var viewers = await JoinAsync(h, Viewers, () => new RecordingSink());

        // 2.4 s of frames held by the frozen clock: at the flush every viewer is 2.4 s behind, with a keyframe to skip to.
        for (var ms = 40; ms <= 2400; ms += 40)
        {
            h.Publish(ms == 1600 ? h.Frames.KeyFrame(Start + ms) : h.Frames.InterFrame(Start + ms));
        }
        Assert.Equal(1, _scheduler.RunDue());

        foreach (var viewer in viewers)
        {
            Assert.Equal(ConnectionWriter.TooSlowReason, await viewer.Run.WaitAsync(Eventually.Timeout));
        }
    }

    private StreamHarness NewStream(Action<StreamingAppConfig>? configure = null)
    {
        var h = new StreamHarness(app =>
        {
            app.JoinMode = JoinModes.KeyFrame;
            configure?.Invoke(app);
        });
        h.Stream.UseFlushScheduler(_scheduler, () => _scheduler.NowMs);
        h.PublishHeaders();
        h.Publish(h.Frames.KeyFrame(Start));
        return h;
    }

    private static async Task<List<RunningViewer>> JoinAsync(StreamHarness h, int count, Func<RecordingSink> sink)
    {
        var viewers = Enumerable.Range(0, count).Select(_ => RunningViewer.Start(h, sink())).ToList();
        foreach (var viewer in viewers)
        {
            await viewer.WaitForTagsAsync(4);
        }
        return viewers;
    }

    /// <summary>Five inter frames 40 ms apart, held by the frozen clock, then the flush that merges them.</summary>
    private void PublishFiveAndFlush(StreamHarness h, int from)
    {
        for (var i = from; i < from + 5; i++)
        {
            h.Publish(h.Frames.InterFrame(Start + (i * 40)));
        }
        Assert.Equal(1, _scheduler.RunDue());
    }

    /// <summary>The FLV timestamps of five frames from <paramref name="from"/>: the 64-bit times' low 32 bits.</summary>
    private static uint[] WireStamps(int from) => [.. Enumerable.Range(from, 5).Select(i => unchecked((uint)(Start + (i * 40))))];

    private static List<ParsedTag> FlvTagsAfterReply(RecordingSink sink)
    {
        var bytes = sink.AllBytes();
        var reply = "reply"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(reply);
        // The reply follows the join's tags and comes before the flush's.
        return at < 0 ? [] : FlvTags.ParseTags(bytes.AsSpan(at + reply.Length));
    }

    private static async Task StopAsync(IEnumerable<RunningViewer> viewers)
    {
        foreach (var viewer in viewers)
        {
            await viewer.StopAsync();
        }
    }

    /// <summary>A socket's sink that takes writes at once until the peer resets: then it throws, at once or later.</summary>
    private sealed class ResettingSink : IGatherSink
    {
        private TaskCompletionSource? _held;
        private int _writes;

        public bool FailNow { get; set; }

        public int Writes => Volatile.Read(ref _writes);

        public bool WritesInline => true;

        /// <summary>The next write completes, or fails, when the returned source says.</summary>
        public TaskCompletionSource HoldNext() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            if (FailNow)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
            if (Interlocked.Exchange(ref _held, null) is { } held)
            {
                return new ValueTask(held.Task);
            }
            return ValueTask.CompletedTask;
        }
    }
}
