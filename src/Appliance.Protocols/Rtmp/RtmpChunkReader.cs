using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Appliance.Core.Buffers;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// Reassembles RTMP messages from the incoming chunk stream. One instance per connection; not
/// thread-safe. Sizes announced by the peer are checked before anything is allocated, and partial
/// messages grow with the data actually received, so a peer cannot make us reserve memory it
/// has not sent.
/// </summary>
public sealed class RtmpChunkReader
{
    public const int DefaultChunkSize = 128;
    public const int MaxChunkSize = 16 * 1024 * 1024;

    // Basic header (up to 3) + message header (up to 11) + extended timestamp (4).
    private const int MaxHeaderLength = 18;
    private const uint ExtendedTimestampMarker = 0xFFFFFF;

    private readonly int _maxMessageSize;
    private readonly int _maxChunkStreams;
    private readonly long _maxPendingBytes;
    // A connection uses a handful of chunk stream ids (3 to 6 in practice): a small array searched
    // in order costs a tenth of a dictionary's memory, which every viewer connection carries.
    private RtmpChunkStream[] _streams = new RtmpChunkStream[4];
    private int _streamCount;
    private RtmpChunkStream? _lastStream;
    private int _chunkSize = DefaultChunkSize;
    private long _pendingBytes;

    public RtmpChunkReader(int maxMessageSize = 16 * 1024 * 1024, int maxChunkStreams = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkStreams, 1);
        _maxMessageSize = maxMessageSize;
        _maxChunkStreams = maxChunkStreams;
        // Interleaved partial messages (a big video frame and some audio) may together exceed one
        // message, but not by much; twice the limit is generous for honest peers.
        _maxPendingBytes = 2L * maxMessageSize;
    }

    /// <summary>Incoming chunk size, changed by the peer's Set Chunk Size message (1..16 MiB).</summary>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            if (value < 1 || value > MaxChunkSize)
            {
                RtmpThrowHelper.ThrowProtocol($"Invalid chunk size {value}.");
            }
            _chunkSize = value;
        }
    }

    /// <summary>All bytes consumed so far, for acknowledgements.</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// Consumes whole chunks until one message is complete (true) or the data runs out in the middle
    /// of a chunk (false; the incomplete chunk is left unconsumed). Throws
    /// <see cref="RtmpProtocolException"/> on a malformed chunk stream; the connection is then beyond
    /// repair, and <see cref="Reset"/> releases what it held.
    /// </summary>
    public bool TryReadMessage(ref SequenceReader<byte> reader, out RtmpMessage message)
    {
        Span<byte> scratch = stackalloc byte[MaxHeaderLength];
        while (true)
        {
            scoped ReadOnlySpan<byte> header = reader.UnreadSpan;
            if (header.Length < MaxHeaderLength)
            {
                // Slow path: the header may straddle segments.
                var copied = (int)Math.Min(reader.Remaining, MaxHeaderLength);
                reader.UnreadSequence.Slice(0, copied).CopyTo(scratch);
                header = scratch[..copied];
            }
            if (!TryParseHeader(header, out var chunk))
            {
                message = default;
                return false;
            }

            var stream = chunk.Stream;
            var starting = stream.Payload is null;
            var length = chunk.Format <= 1 ? chunk.Length : stream.Length;
            if (!starting && chunk.Format <= 1 && chunk.Length != stream.Length)
            {
                RtmpThrowHelper.ThrowProtocol(
                    $"Chunk stream {stream.Id} changed message length from {stream.Length} to {chunk.Length} mid-message.");
            }
            var received = starting ? 0 : stream.Received;
            var chunkPayload = Math.Min(_chunkSize, length - received);
            if (reader.Remaining < chunk.HeaderLength + chunkPayload)
            {
                message = default;
                return false;
            }

            Apply(stream, in chunk, starting);
            reader.Advance(chunk.HeaderLength);
            BytesRead += chunk.HeaderLength + chunkPayload;

            if (starting)
            {
                // Usually the whole message is already here and this is its only allocation; otherwise
                // the buffer grows as data arrives, so memory held follows memory the peer actually sent.
                stream.Received = 0;
                stream.Payload = SharedBuffer.Rent((int)Math.Min(length, Math.Max(chunkPayload, reader.Remaining)));
            }
            var payload = EnsureCapacity(stream, chunkPayload, reader.Remaining);
            reader.TryCopyTo(payload.FullSpan.Slice(stream.Received, chunkPayload));
            reader.Advance(chunkPayload);
            stream.Received += chunkPayload;
            payload.Length = stream.Received;

            if (stream.Received == stream.Length)
            {
                _pendingBytes -= stream.Received - chunkPayload;
                message = new RtmpMessage
                {
                    TypeId = stream.TypeId,
                    Timestamp = stream.Timestamp,
                    StreamId = stream.StreamId,
                    ChunkStreamId = stream.Id,
                    Payload = payload,
                };
                stream.Payload = null;
                stream.Received = 0;
                return true;
            }
            _pendingBytes += chunkPayload;
            if (_pendingBytes > _maxPendingBytes)
            {
                RtmpThrowHelper.ThrowProtocol($"Partial messages hold more than {_maxPendingBytes} bytes.");
            }
        }
    }

    /// <summary>Drops a partly received message (the peer sent Abort for this chunk stream).</summary>
    public void Abort(int chunkStreamId)
    {
        if (Find(chunkStreamId) is { Payload: { } payload } stream)
        {
            _pendingBytes -= stream.Received;
            stream.Payload = null;
            stream.Received = 0;
            payload.Release();
        }
    }

    /// <summary>Releases partial payloads and returns to the initial state (chunk size 128, nothing read).</summary>
    public void Reset()
    {
        for (var i = 0; i < _streamCount; i++)
        {
            _streams[i].Payload?.Release();
            _streams[i].Payload = null;
            _streams[i] = null!;
        }
        _streamCount = 0;
        _lastStream = null;
        _pendingBytes = 0;
        _chunkSize = DefaultChunkSize;
        BytesRead = 0;
    }

    private bool TryParseHeader(ReadOnlySpan<byte> header, out ParsedChunkHeader chunk)
    {
        chunk = default;
        if (header.Length < 1)
        {
            return false;
        }
        var format = header[0] >> 6;
        var id = header[0] & 0x3F;
        var position = 1;
        if (id == 0)
        {
            if (header.Length < 2)
            {
                return false;
            }
            id = 64 + header[1];
            position = 2;
        }
        else if (id == 1)
        {
            if (header.Length < 3)
            {
                return false;
            }
            id = 64 + header[1] + (header[2] << 8);
            position = 3;
        }

        var stream = FindStream(id, format);
        var messageHeaderLength = format switch { 0 => 11, 1 => 7, 2 => 3, _ => 0 };
        if (header.Length < position + messageHeaderLength)
        {
            return false;
        }

        var field = 0u;
        var extended = stream.Extended;
        if (format <= 2)
        {
            field = ReadUInt24(header[position..]);
            extended = field == ExtendedTimestampMarker;
        }
        if (format <= 1)
        {
            chunk.Length = (int)ReadUInt24(header[(position + 3)..]);
            chunk.TypeId = header[position + 6];
            if (chunk.Length > _maxMessageSize)
            {
                RtmpThrowHelper.ThrowProtocol(
                    $"Message of {chunk.Length} bytes on chunk stream {id} exceeds the limit of {_maxMessageSize}.");
            }
        }
        if (format == 0)
        {
            chunk.StreamId = BinaryPrimitives.ReadUInt32LittleEndian(header[(position + 7)..]);
        }
        position += messageHeaderLength;
        if (extended)
        {
            if (header.Length < position + 4)
            {
                return false;
            }
            field = BinaryPrimitives.ReadUInt32BigEndian(header[position..]);
            position += 4;
        }

        chunk.Stream = stream;
        chunk.Format = format;
        chunk.HeaderLength = position;
        chunk.TimestampField = field;
        chunk.Extended = extended;
        return true;
    }

    private RtmpChunkStream FindStream(int id, int format)
    {
        var stream = _lastStream;
        if (stream is null || stream.Id != id)
        {
            stream = Find(id);
            if (stream is null)
            {
                if (format != 0)
                {
                    ThrowNoPreviousHeader(id, format);
                }
                if (_streamCount >= _maxChunkStreams)
                {
                    RtmpThrowHelper.ThrowProtocol($"More than {_maxChunkStreams} chunk streams.");
                }
                stream = new RtmpChunkStream(id);
                if (_streamCount == _streams.Length)
                {
                    Array.Resize(ref _streams, _streams.Length * 2);
                }
                _streams[_streamCount++] = stream;
            }
            _lastStream = stream;
        }
        if (format != 0 && !stream.HasHeader)
        {
            ThrowNoPreviousHeader(id, format);
        }
        return stream;
    }

    private RtmpChunkStream? Find(int id)
    {
        for (var i = 0; i < _streamCount; i++)
        {
            if (_streams[i].Id == id)
            {
                return _streams[i];
            }
        }
        return null;
    }

    [DoesNotReturn]
    private static void ThrowNoPreviousHeader(int id, int format) =>
        RtmpThrowHelper.ThrowProtocol($"Chunk format {format} on chunk stream {id} without a previous header.");

    private static void Apply(RtmpChunkStream stream, in ParsedChunkHeader chunk, bool starting)
    {
        switch (chunk.Format)
        {
            case 0:
                stream.HasHeader = true;
                stream.Timestamp = chunk.TimestampField;
                stream.Delta = chunk.TimestampField;
                stream.Extended = chunk.Extended;
                stream.Length = chunk.Length;
                stream.TypeId = chunk.TypeId;
                stream.StreamId = chunk.StreamId;
                break;
            case 1:
            case 2:
                stream.Delta = chunk.TimestampField;
                stream.Extended = chunk.Extended;
                stream.Timestamp = unchecked(stream.Timestamp + chunk.TimestampField);
                if (chunk.Format == 1)
                {
                    stream.Length = chunk.Length;
                    stream.TypeId = chunk.TypeId;
                }
                break;
            default:
                // A continuation repeats the header it continues; only a new message moves time on.
                if (starting)
                {
                    if (chunk.Extended)
                    {
                        stream.Delta = chunk.TimestampField;
                    }
                    stream.Timestamp = unchecked(stream.Timestamp + stream.Delta);
                }
                break;
        }
    }

    private SharedBuffer EnsureCapacity(RtmpChunkStream stream, int chunkPayload, long available)
    {
        var payload = stream.Payload!;
        var needed = stream.Received + chunkPayload;
        if (needed <= payload.Capacity)
        {
            return payload;
        }
        // Grow geometrically, but never past the announced length nor far past what has arrived.
        var capacity = (int)Math.Min(stream.Length, Math.Max(Math.Max((long)payload.Capacity * 2, needed), stream.Received + available));
        var grown = SharedBuffer.Rent(capacity);
        payload.Span[..stream.Received].CopyTo(grown.FullSpan);
        grown.Length = stream.Received;
        payload.Release();
        stream.Payload = grown;
        return grown;
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> bytes) => (uint)(bytes[0] << 16 | bytes[1] << 8 | bytes[2]);

    private struct ParsedChunkHeader
    {
        public RtmpChunkStream Stream;
        public int Format;
        public int HeaderLength;
        public uint TimestampField;
        public bool Extended;
        public int Length;
        public byte TypeId;
        public uint StreamId;
    }
}
