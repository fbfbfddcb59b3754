using System.Text;
using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>
/// Replies a request/response session writes itself (HoldWakeups, then WriteQueuedAsync): when
/// the writer is idle they go out on the caller's turn; otherwise the send loop writes them, and
/// whoever writes, the bytes leave in the order they were queued.
/// </summary>
public class ConnectionWriterInlineTests
{
    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public async Task Replies_of_an_idle_writer_are_written_before_WriteQueuedAsync_returns()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();
        var file = ArrayFile.Counting(1000);

        writer.HoldWakeups();
        writer.Send("HEAD"u8);
        writer.SendFile(file, 0, 1000);
        var writing = writer.WriteQueuedAsync();

        // Written on this call, not on a later turn of the send loop: no waiting needed.
        Assert.True(writing.IsCompletedSuccessfully);
        Assert.Equal("HEAD"u8.ToArray().Concat(file.Bytes), sink.AllBytes());
        Assert.Equal(1004, writer.BytesWritten);
        Assert.Equal(0, file.RefCount);
        writer.Close("test over");
        Assert.Equal("test over", await run.WaitAsync(Eventually.Timeout));
    }

    [Fact]
    public async Task Replies_held_while_the_loop_is_writing_follow_what_it_writes()
    {
        var sink = new RecordingSink(holdFirstWrite: true);
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();
        writer.Send("one"u8);
        await Eventually.WaitAsync(() => sink.WriteCount == 1, "the loop's write to start (and be held)");

        writer.HoldWakeups();
        writer.Send("two"u8);
        writer.Send("three"u8);
        var writing = writer.WriteQueuedAsync();
        // The loop owns the sink: the session leaves its replies to it.
        Assert.True(writing.IsCompletedSuccessfully);
        sink.ReleaseFirstWrite();

        await Eventually.WaitAsync(() => sink.AllBytes().Length == 11, "all three replies");
        Assert.Equal("onetwothree", Text(sink.AllBytes()));
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task What_others_queue_during_an_inline_write_goes_out_after_it()
    {
        var sink = new RecordingSink(holdFirstWrite: true);
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();

        writer.HoldWakeups();
        writer.Send("first"u8);
        var writing = writer.WriteQueuedAsync();
        Assert.False(writing.IsCompleted);
        // Another thread (a held request's answer) queues while the session owns the sink: the loop
        // wakes, finds it taken, and is woken again when the session lets go.
        await Task.Run(() => writer.Send("second"u8));
        sink.ReleaseFirstWrite();
        await writing;

        await Eventually.WaitAsync(() => sink.AllBytes().Length == 11, "the second reply");
        Assert.Equal("firstsecond", Text(sink.AllBytes()));
        writer.Close("test over");
        Assert.Equal("test over", await run.WaitAsync(Eventually.Timeout));
    }

    [Fact]
    public async Task A_close_during_an_inline_write_ends_the_loop_when_the_write_is_done()
    {
        var sink = new RecordingSink(holdFirstWrite: true);
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();

        writer.HoldWakeups();
        writer.Send("reply"u8);
        var writing = writer.WriteQueuedAsync();
        writer.Close("kicked");
        sink.ReleaseFirstWrite();
        await writing;

        Assert.Equal("kicked", await run.WaitAsync(Eventually.Timeout));
        Assert.Equal("reply", Text(sink.AllBytes()));
    }

    [Fact]
    public async Task A_failed_inline_write_releases_the_file_and_stops_the_writer_with_the_reason()
    {
        var sink = new RecordingSink(failWith: new IOException("connection reset by peer"));
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();
        var file = ArrayFile.Counting(100);
        var later = ArrayFile.Counting(100);

        writer.HoldWakeups();
        writer.Send("HEAD"u8);
        writer.SendFile(file, 0, 100);
        writer.Send("HEAD2"u8);
        writer.SendFile(later, 0, 100);
        // The session is not the one to fail: it reads on and finds the connection gone.
        await writer.WriteQueuedAsync();

        Assert.Contains("connection reset by peer", await run.WaitAsync(Eventually.Timeout));
        Assert.Equal(0, file.RefCount);
        Assert.Equal(0, later.RefCount);
    }

    [Fact]
    public async Task Replies_queued_after_the_writer_ended_are_released_not_written()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();
        writer.Close("gone");
        Assert.Equal("gone", await run.WaitAsync(Eventually.Timeout));
        var file = ArrayFile.Counting(10);

        writer.HoldWakeups();
        writer.SendFile(file, 0, 10);
        await writer.WriteQueuedAsync();

        Assert.Empty(sink.AllBytes());
        Assert.Equal(0, file.RefCount);
    }

    [Fact]
    public async Task A_file_longer_than_the_fair_share_goes_in_pieces_in_order()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();
        var length = (int)(2 * ConnectionWriter.FairShareBytes + 12345);
        var file = ArrayFile.Counting(length);

        writer.HoldWakeups();
        writer.Send("HEAD"u8);
        writer.SendFile(file, 0, length);
        writer.Send("NEXT"u8);
        await writer.WriteQueuedAsync();

        // Head, three pieces of the file (a turn for other connections before each after the
        // first share), then the next reply.
        Assert.Equal([4, ConnectionWriter.FairShareBytes, ConnectionWriter.FairShareBytes, 12345, 4], sink.Writes.Select(w => (long)w.Length));
        Assert.Equal("HEAD"u8.ToArray().Concat(file.Bytes).Concat("NEXT"u8.ToArray()), sink.AllBytes());
        Assert.Equal(length + 8, writer.BytesWritten);
        Assert.Equal(0, file.RefCount);
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task A_range_of_a_file_is_sent_from_its_offset_in_pieces()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var run = writer.RunAsync();
        var length = (int)(ConnectionWriter.FairShareBytes + 1000);
        var file = ArrayFile.Counting(length + 500);

        writer.Send("H"u8);
        writer.SendFile(file, 500, length);

        await Eventually.WaitAsync(() => sink.AllBytes().Length == length + 1, "the head and the range");
        Assert.Equal("H"u8.ToArray().Concat(file.Bytes.Skip(500)), sink.AllBytes());
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);
        Assert.Equal(0, file.RefCount);
    }
}
