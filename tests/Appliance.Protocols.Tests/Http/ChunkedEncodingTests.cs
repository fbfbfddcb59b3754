using System.Buffers;
using System.Text;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class ChunkedEncodingTests
{
    [Theory]
    [InlineData(1, true, "1\r\n")]
    [InlineData(15, true, "f\r\n")]
    [InlineData(16, false, "\r\n10\r\n")]
    [InlineData(0x5d1c, false, "\r\n5d1c\r\n")]
    [InlineData(long.MaxValue, false, "\r\n7fffffffffffffff\r\n")]
    public void A_separator_ends_the_previous_chunk_and_gives_the_next_ones_size_in_lower_case_hex(long length, bool first, string expected)
    {
        Span<byte> buffer = stackalloc byte[ChunkedEncoding.MaxSeparatorLength];

        var written = ChunkedEncoding.WriteSeparator(buffer, length, first);

        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..written]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_chunk_of_no_bytes_is_refused_as_it_would_end_the_body(long length)
    {
        var buffer = new byte[ChunkedEncoding.MaxSeparatorLength];

        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkedEncoding.WriteSeparator(buffer, length, first: false));
    }

    [Fact]
    public void A_destination_too_small_is_refused()
    {
        var buffer = new byte[4];

        Assert.Throws<ArgumentException>(() => ChunkedEncoding.WriteSeparator(buffer, 0x10000, first: false));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("hello| |world|0123456789abcdef0123")]
    [InlineData("")]
    public void What_it_frames_the_decoder_reads_back_whole(string joined)
    {
        var chunks = joined.Split('|', StringSplitOptions.RemoveEmptyEntries);
        var body = new ArrayBufferWriter<byte>();
        var separator = new byte[ChunkedEncoding.MaxSeparatorLength];
        for (var i = 0; i < chunks.Length; i++)
        {
            body.Write(separator.AsSpan(0, ChunkedEncoding.WriteSeparator(separator, chunks[i].Length, first: i == 0)));
            body.Write(Encoding.ASCII.GetBytes(chunks[i]));
        }
        body.Write(chunks.Length == 0 ? ChunkedEncoding.EmptyEnd : ChunkedEncoding.End);
        body.Write("next"u8);

        var output = new ArrayBufferWriter<byte>();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(body.WrittenMemory));
        new ChunkedBodyDecoder().TryRead(ref reader, output, out var finished);

        Assert.True(finished);
        Assert.Equal(string.Concat(chunks), Encoding.ASCII.GetString(output.WrittenSpan));
        Assert.Equal(body.WrittenCount - 4, reader.Consumed);
    }

    [Fact]
    public void The_header_names_chunked()
    {
        Assert.Equal(new KeyValuePair<string, string>("Transfer-Encoding", "chunked"), ChunkedEncoding.Header);
    }
}
