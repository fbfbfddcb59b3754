using System.Buffers;
using System.Text;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class ChunkedBodyDecoderTests
{
    private const string Body = "5\r\nhello\r\n6;name=value\r\n world\r\n000\r\nX-Trailer: t\r\n\r\n";

    private static (bool Progress, bool Finished, long Consumed, string Output) Decode(ReadOnlySequence<byte> data, ChunkedBodyDecoder? decoder = null)
    {
        decoder ??= new ChunkedBodyDecoder();
        var output = new ArrayBufferWriter<byte>();
        var reader = new SequenceReader<byte>(data);
        bool progress = decoder.TryRead(ref reader, output, out bool finished);
        return (progress, finished, reader.Consumed, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    private static (bool Progress, bool Finished, long Consumed, string Output) Decode(string text) =>
        Decode(new ReadOnlySequence<byte>(TestSequences.Ascii(text)));

    [Fact]
    public void WholeBody_DecodesAndStopsAtItsEnd()
    {
        var result = Decode(Body + "HTTP/1.1 200 OK\r\n");

        Assert.True(result.Progress);
        Assert.True(result.Finished);
        Assert.Equal("hello world", result.Output);
        Assert.Equal(Body.Length, result.Consumed);
    }

    [Fact]
    public void OneByteSegments_Decode()
    {
        var result = Decode(TestSequences.OneBytePerSegment(TestSequences.Ascii(Body)));

        Assert.True(result.Finished);
        Assert.Equal("hello world", result.Output);
        Assert.Equal(Body.Length, result.Consumed);
    }

    [Fact]
    public void EverySplitPoint_Decodes()
    {
        byte[] data = TestSequences.Ascii(Body);
        for (int cut = 1; cut < data.Length; cut++)
        {
            var result = Decode(TestSequences.Split(data, cut));
            Assert.True(result.Finished);
            Assert.Equal("hello world", result.Output);
        }
    }

    [Fact]
    public void ByteByByteArrival_DecodesIncrementally()
    {
        // Simulates a pipe: unconsumed bytes are offered again together with each new byte.
        byte[] data = TestSequences.Ascii(Body);
        var decoder = new ChunkedBodyDecoder();
        var output = new ArrayBufferWriter<byte>();
        long consumed = 0;
        bool finished = false;
        for (int available = 1; available <= data.Length; available++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data, (int)consumed, available - (int)consumed));
            decoder.TryRead(ref reader, output, out finished);
            consumed += reader.Consumed;
            Assert.Equal(available == data.Length, finished);
        }
        Assert.True(finished);
        Assert.Equal(data.Length, consumed);
        Assert.Equal("hello world", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5\r")]
    public void PartialSizeLine_ConsumesNothing(string text)
    {
        var result = Decode(text);

        Assert.False(result.Progress);
        Assert.False(result.Finished);
        Assert.Equal(0, result.Consumed);
    }

    [Fact]
    public void PartialData_IsPassedOnAtOnce()
    {
        var result = Decode("a\r\n01234");

        Assert.True(result.Progress);
        Assert.False(result.Finished);
        Assert.Equal("01234", result.Output);
        Assert.Equal(8, result.Consumed);
    }

    [Fact]
    public void Reset_AllowsAnotherBody()
    {
        var decoder = new ChunkedBodyDecoder();
        Assert.True(Decode(new ReadOnlySequence<byte>(TestSequences.Ascii("1\r\na\r\n0\r\n\r\n")), decoder).Finished);
        var again = Decode(new ReadOnlySequence<byte>(TestSequences.Ascii("1\r\nb\r\n")), decoder);
        Assert.False(again.Progress);
        Assert.True(again.Finished);

        decoder.Reset();
        var result = Decode(new ReadOnlySequence<byte>(TestSequences.Ascii("1\r\nb\r\n0\r\n\r\n")), decoder);
        Assert.True(result.Finished);
        Assert.Equal("b", result.Output);
    }

    [Fact]
    public void LeadingZerosInSize_AreAccepted()
    {
        Assert.Equal("abc", Decode("00000000000000000003\r\nabc\r\n0\r\n\r\n").Output);
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("\r\n")]
    [InlineData("5x\r\nhello\r\n")]
    [InlineData("-5\r\n")]
    [InlineData(" 5\r\n")]
    [InlineData("5\nhello\r\n")]
    [InlineData("5\r\nhelloXX")]
    [InlineData("5\r\nhello\rX")]
    [InlineData("5;ext\u0001\r\nhello\r\n")]
    [InlineData("1000000000000000\r\n")]
    [InlineData("0\r\nX-Trailer: t\n\r\n")]
    public void MalformedChunk_Throws(string text)
    {
        Assert.Throws<FormatException>(() => Decode(text));
    }

    [Fact]
    public void OverlongSizeLine_Throws_BeforeItEnds()
    {
        string line = "5;" + new string('e', ChunkedBodyDecoder.MaxLineBytes);
        Assert.Throws<FormatException>(() => Decode(line));
        Assert.Throws<FormatException>(() => Decode(TestSequences.Split(TestSequences.Ascii(line), 100, 3000)));
    }

    [Fact]
    public void OversizedTrailer_Throws()
    {
        var trailer = new StringBuilder("0\r\n");
        for (int i = 0; i < 20; i++)
        {
            trailer.Append("X-T: ").Append('t', 1000).Append("\r\n");
        }
        Assert.Throws<FormatException>(() => Decode(trailer.Append("\r\n").ToString()));
    }

    [Fact]
    public void LargestSize_IsAccepted()
    {
        var result = Decode("fffffffffffffff\r\nabc");

        Assert.True(result.Progress);
        Assert.Equal("abc", result.Output);
    }
}
