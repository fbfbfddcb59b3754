using System.Buffers;

namespace Appliance.Protocols.Http;

/// <summary>
/// Incremental decoder for a chunked body (RFC 9112 §7.1): chunk-size lines, data, and trailer
/// lines, which are skipped. Keeps its place between calls, so data split anywhere decodes the same.
/// Line lengths are bounded, so a peer cannot make it buffer without limit.
/// </summary>
public sealed class ChunkedBodyDecoder
{
    /// <summary>Longest chunk-size line (size and extensions) or trailer line, CRLF included.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>Most trailer bytes accepted after the last chunk.</summary>
    public const int MaxTrailerBytes = 16384;

    // 15 hex digits cannot overflow a long.
    private const int MaxSizeDigits = 15;

    private State _state;
    private long _chunkRemaining;
    private int _trailerBytes;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    /// <summary>
    /// Decodes what <paramref name="reader"/> holds into <paramref name="output"/>, consuming it.
    /// Returns true when it consumed anything (false: more input is needed first). Once the last
    /// chunk and trailers are read, <paramref name="finished"/> is true and nothing more is consumed,
    /// so bytes after the body stay in the reader.
    /// </summary>
    /// <exception cref="FormatException">The body is not valid chunked encoding.</exception>
    public bool TryRead(ref SequenceReader<byte> reader, IBufferWriter<byte> output, out bool finished)
    {
        ArgumentNullException.ThrowIfNull(output);
        long start = reader.Consumed;
        while (_state != State.Done && Step(ref reader, output))
        {
        }
        finished = _state == State.Done;
        return reader.Consumed != start;
    }

    /// <summary>Makes the decoder ready for another body.</summary>
    public void Reset()
    {
        _state = State.Size;
        _chunkRemaining = 0;
        _trailerBytes = 0;
    }

    /// <returns>False when the current state needs more input.</returns>
    private bool Step(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        switch (_state)
        {
            case State.Size:
                return ReadSizeLine(ref reader);
            case State.Data:
                return CopyData(ref reader, output);
            case State.DataEnd:
                return ReadDataEnd(ref reader);
            default:
                return ReadTrailerLine(ref reader);
        }
    }

    private bool ReadSizeLine(ref SequenceReader<byte> reader)
    {
        if (!TryTakeLine(ref reader, MaxLineBytes, out var line, out byte[]? rented))
        {
            return false;
        }
        try
        {
            _chunkRemaining = ParseSize(line);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        _state = _chunkRemaining == 0 ? State.Trailer : State.Data;
        return true;
    }

    private bool CopyData(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        if (reader.End)
        {
            return false;
        }
        while (_chunkRemaining > 0 && !reader.End)
        {
            var span = reader.UnreadSpan;
            int count = (int)Math.Min(span.Length, _chunkRemaining);
            output.Write(span[..count]);
            reader.Advance(count);
            _chunkRemaining -= count;
        }
        if (_chunkRemaining == 0)
        {
            _state = State.DataEnd;
        }
        return true;
    }

    private bool ReadDataEnd(ref SequenceReader<byte> reader)
    {
        if (reader.TryPeek(out byte first) && first != (byte)'\r')
        {
            throw Malformed("chunk data not followed by CRLF");
        }
        if (reader.Remaining < 2)
        {
            return false;
        }
        reader.Advance(1);
        reader.TryRead(out byte second);
        if (second != (byte)'\n')
        {
            throw Malformed("chunk data not followed by CRLF");
        }
        _state = State.Size;
        return true;
    }

    private bool ReadTrailerLine(ref SequenceReader<byte> reader)
    {
        long before = reader.Consumed;
        if (!TryTakeLine(ref reader, MaxLineBytes, out var line, out byte[]? rented))
        {
            return false;
        }
        bool empty = line.IsEmpty;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        _trailerBytes += (int)(reader.Consumed - before);
        if (_trailerBytes > MaxTrailerBytes)
        {
            throw Malformed("trailer section too large");
        }
        if (empty)
        {
            _state = State.Done;
        }
        return true;
    }

    /// <summary>
    /// Takes one CRLF-terminated line (without the CRLF). The line is a slice of the current
    /// segment when it fits there; otherwise it is copied to a rented array the caller returns.
    /// </summary>
    private static bool TryTakeLine(ref SequenceReader<byte> reader, int maxBytes, out ReadOnlySpan<byte> line, out byte[]? rented)
    {
        line = default;
        rented = null;
        long lf = SequenceSearch.IndexOf(reader, (byte)'\n', maxBytes);
        if (lf < 0)
        {
            if (reader.Remaining >= maxBytes)
            {
                throw Malformed("line too long");
            }
            return false;
        }
        int length = (int)lf + 1;
        if (length <= reader.UnreadSpan.Length)
        {
            line = reader.UnreadSpan[..length];
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent(length);
            reader.UnreadSequence.Slice(0, length).CopyTo(rented);
            line = rented.AsSpan(0, length);
        }
        reader.Advance(length);
        if (length < 2 || line[^2] != (byte)'\r')
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
            throw Malformed("line not ended by CRLF");
        }
        line = line[..^2];
        return true;
    }

    /// <summary>chunk-size [ BWS ";" chunk-ext ]: the extensions carry nothing we use, so they are skipped.</summary>
    private static long ParseSize(ReadOnlySpan<byte> line)
    {
        int digits = 0;
        int significant = 0;
        long size = 0;
        while (digits < line.Length && HttpCharacters.IsHex(line[digits]))
        {
            int value = HttpCharacters.HexValue(line[digits]);
            // Leading zeros are legal and harmless; only significant digits can overflow.
            if ((significant > 0 || value != 0) && ++significant > MaxSizeDigits)
            {
                throw Malformed("chunk size too large");
            }
            size = size << 4 | (long)value;
            digits++;
        }
        if (digits == 0)
        {
            throw Malformed("chunk size is not hexadecimal");
        }
        var rest = HttpCharacters.TrimOws(line[digits..]);
        if (!rest.IsEmpty && rest[0] != (byte)';')
        {
            throw Malformed("chunk size is not hexadecimal");
        }
        if (rest.IndexOfAny(HttpCharacters.InvalidFieldValue) >= 0)
        {
            throw Malformed("control character in chunk extension");
        }
        return size;
    }

    private static FormatException Malformed(string reason) => new($"Malformed chunked body: {reason}.");
}
