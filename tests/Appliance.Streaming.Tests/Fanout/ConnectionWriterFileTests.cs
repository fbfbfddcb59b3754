using Appliance.Core.Buffers;
using Appliance.Streaming.Fanout;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>Replies that end in a file range (an HLS segment after its response head).</summary>
public class ConnectionWriterFileTests
{
    [Fact]
    public async Task Each_head_goes_out_right_before_its_file_range_and_every_byte_is_counted()
    {
        var sink = new RecordingSink();
        var writer = new ConnectionWriter(sink);
        var first = new ArrayFile(Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        var second = new ArrayFile(Enumerable.Range(0, 500).Select(i => (byte)(255 - i)).ToArray());
        var run = writer.RunAsync();

        writer.Send("HEAD1"u8);
        writer.SendFile(first, 10, 100);
        writer.Send("HEAD2"u8);
        writer.SendFile(second, 0, 500);
        writer.Send("TAIL"u8);
        var expected = "HEAD1"u8.ToArray().Concat(first.Bytes.Skip(10).Take(100))
            .Concat("HEAD2"u8.ToArray()).Concat(second.Bytes).Concat("TAIL"u8.ToArray()).ToArray();
        await Eventually.WaitAsync(() => sink.AllBytes().Length >= expected.Length, "both responses and the tail to be written");
        writer.Close("test over");
        await run.WaitAsync(Eventually.Timeout);

        Assert.Equal(expected, sink.AllBytes());
        Assert.Equal(expected.Length, writer.BytesWritten);
        // The writer let go of both files once they were sent.
        Assert.Equal(0, first.RefCount);
        Assert.Equal(0, second.RefCount);
    }

    [Fact]
    public async Task A_file_whose_write_fails_is_released_and_the_writer_stops_with_the_failure()
    {
        var sink = new RecordingSink(failWith: new IOException("connection reset"));
        var writer = new ConnectionWriter(sink);
        var file = new ArrayFile(new byte[100]);

        writer.Send("HEAD"u8);
        writer.SendFile(file, 0, 100);
        var reason = await writer.RunAsync().WaitAsync(Eventually.Timeout);

        Assert.Contains("connection reset", reason);
        Assert.Equal(0, file.RefCount);
    }
}
