using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Viewers.Counting;

/// <summary>
/// Reads an incoming RTMP chunk stream the way a load generator needs it: chunk headers parsed,
/// media messages counted as they stream past (only the first bytes of a video message are kept,
/// for its frame type and latency stamp), control and command messages reassembled (they are small
/// and drive the conversation). It takes bytes split anywhere, a byte at a time if need be, and
/// keeps nothing of them but a chunk header in progress, so a viewer holds no receive buffer and no
/// payload. Same rules as the node's <see cref="RtmpChunkReader"/> (timestamps, extended
/// timestamps, fmt 3, Set Chunk Size and Abort); a media message's length needs no limit here, as
/// nothing is allocated by it. Malformed input throws
/// <see cref="RtmpProtocolException"/> naming what was wrong.
/// </summary>
internal sealed class RtmpChunkCounter
{
    /// <summary>Control and command messages are reassembled; none honest is near this.</summary>
    public const int MaxControlMessageSize = 64 * 1024;

    public const int MaxChunkStreams = 64;

    // Basic header (up to 3) + message header (up to 11) + extended timestamp (4).
    private const int MaxHeaderLength = 18;
    private const uint ExtendedTimestampMarker = 0xFFFFFF;
    private static readonly int[] MessageHeaderLength = [11, 7, 3, 0];

    private readonly IRtmpCountSink _sink;
    private readonly int _headSize;
    private readonly byte[] _header = new byte[MaxHeaderLength];
    private int _headerHave;
    private CountedChunkStream[] _streams = new CountedChunkStream[4];
    private int _streamCount;

    // The chunk whose payload is being read, and how much of it is left; null between chunks.
    private CountedChunkStream? _current;
    private int _chunkLeft;

    /// <param name="headSize">Bytes kept from the start of each video message (at least the video tag header).</param>
    public RtmpChunkCounter(IRtmpCountSink sink, int headSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headSize, 1);
        _sink = sink;
        _headSize = headSize;
    }

    /// <summary>Incoming chunk size, changed by the peer's Set Chunk Size.</summary>
    public int ChunkSize { get; private set; } = RtmpChunkReader.DefaultChunkSize;

    /// <summary>Every byte fed so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Media messages completed so far.</summary>
    public long MediaMessages { get; private set; }

    /// <summary>Consumes all of <paramref name="data"/>, reporting each message as it completes.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        Bytes += data.Length;
        while (!data.IsEmpty)
        {
            if (_current is null)
            {
                if (!ReadHeader(ref data))
                {
                    return;
                }
            }
            else
            {
                ReadPayload(ref data);
            }
        }
    }

    /// <summary>Takes header bytes until the chunk header is whole (true) or the data runs out (false).</summary>
    private bool ReadHeader(ref ReadOnlySpan<byte> data)
    {
        while (true)
        {
            var need = HeaderNeeded();
            if (_headerHave == need)
            {
                break;
            }
            var take = Math.Min(need - _headerHave, data.Length);
            if (take == 0)
            {
                return false;
            }
            data[..take].CopyTo(_header.AsSpan(_headerHave));
            _headerHave += take;
            data = data[take..];
        }
        StartChunk();
        _headerHave = 0;
        return true;
    }

    /// <summary>The length of the chunk header in progress, as far as its bytes so far tell.</summary>
    private int HeaderNeeded()
    {
        if (_headerHave < 1)
        {
            return 1;
        }
        var format = _header[0] >> 6;
        var basic = BasicHeaderLength(_header[0]);
        var need = basic + MessageHeaderLength[format];
        if (_headerHave < need)
        {
            return need;
        }
        var extended = format <= 2
            ? ReadUInt24(_header.AsSpan(basic)) == ExtendedTimestampMarker
            : FindStream(ChunkStreamId(), format).Extended;
        return extended ? need + 4 : need;
    }

    private void StartChunk()
    {
        var format = _header[0] >> 6;
        var position = BasicHeaderLength(_header[0]);
        var stream = FindStream(ChunkStreamId(), format);
        var header = _header.AsSpan();
        var field = 0u;
        var length = stream.Length;
        var typeId = stream.TypeId;
        if (format <= 2)
        {
            field = ReadUInt24(header[position..]);
        }
        if (format <= 1)
        {
            length = (int)ReadUInt24(header[(position + 3)..]);
            typeId = header[position + 6];
            if (stream.InMessage && length != stream.Length)
            {
                Throw($"Chunk stream {stream.Id} changed message length from {stream.Length} to {length} mid-message.");
            }
        }
        var extended = format <= 2 ? field == ExtendedTimestampMarker : stream.Extended;
        position += MessageHeaderLength[format];
        if (extended)
        {
            field = BinaryPrimitives.ReadUInt32BigEndian(header[position..]);
        }

        var starting = !stream.InMessage;
        switch (format)
        {
            case 0:
                stream.HasHeader = true;
                stream.Timestamp = field;
                stream.Delta = field;
                stream.Extended = extended;
                stream.Length = length;
                stream.TypeId = typeId;
                stream.StreamId = BinaryPrimitives.ReadUInt32LittleEndian(header[(BasicHeaderLength(_header[0]) + 7)..]);
                break;
            case 1:
            case 2:
                stream.Delta = field;
                stream.Extended = extended;
                stream.Timestamp = unchecked(stream.Timestamp + field);
                stream.Length = length;
                stream.TypeId = typeId;
                break;
            default:
                // A continuation repeats the header it continues; only a new message moves time on.
                if (starting)
                {
                    if (extended)
                    {
                        stream.Delta = field;
                    }
                    stream.Timestamp = unchecked(stream.Timestamp + stream.Delta);
                }
                break;
        }
        if (starting)
        {
            StartMessage(stream);
        }
        _current = stream;
        _chunkLeft = Math.Min(ChunkSize, stream.Length - stream.Received);
        if (_chunkLeft == 0)
        {
            EndChunk(stream);
        }
    }

    private void StartMessage(CountedChunkStream stream)
    {
        stream.InMessage = true;
        stream.Received = 0;
        stream.IsMedia = stream.TypeId is RtmpMessageType.Audio or RtmpMessageType.Video or RtmpMessageType.DataAmf0 or RtmpMessageType.Aggregate;
        if (stream.IsMedia)
        {
            if (stream.TypeId == RtmpMessageType.Video)
            {
                stream.Head ??= new byte[_headSize];
            }
            return;
        }
        if (stream.Length > MaxControlMessageSize)
        {
            Throw($"A message of type {stream.TypeId} and {stream.Length} bytes on chunk stream {stream.Id}: control and command messages are at most {MaxControlMessageSize}.");
        }
        if (stream.Payload is null || stream.Payload.Length < stream.Length)
        {
            stream.Payload = new byte[Math.Max(stream.Length, 256)];
        }
    }

    private void ReadPayload(ref ReadOnlySpan<byte> data)
    {
        var stream = _current!;
        var take = Math.Min(_chunkLeft, data.Length);
        var piece = data[..take];
        if (!stream.IsMedia)
        {
            piece.CopyTo(stream.Payload.AsSpan(stream.Received));
        }
        else if (stream.TypeId == RtmpMessageType.Video && stream.Received < _headSize)
        {
            piece[..Math.Min(take, _headSize - stream.Received)].CopyTo(stream.Head.AsSpan(stream.Received));
        }
        stream.Received += take;
        _chunkLeft -= take;
        data = data[take..];
        if (_chunkLeft == 0)
        {
            EndChunk(stream);
        }
    }

    private void EndChunk(CountedChunkStream stream)
    {
        _current = null;
        if (stream.Received < stream.Length)
        {
            return;
        }
        stream.InMessage = false;
        if (stream.IsMedia)
        {
            MediaMessages++;
            var head = stream.TypeId == RtmpMessageType.Video ? stream.Head.AsSpan(0, Math.Min(stream.Length, _headSize)) : default;
            _sink.OnMedia(stream.TypeId, stream.Timestamp, stream.Length, head);
            return;
        }
        var payload = stream.Payload.AsSpan(0, stream.Length);
        switch (stream.TypeId)
        {
            case RtmpMessageType.SetChunkSize:
                ChunkSize = RtmpControl.ReadSetChunkSize(payload);
                break;
            case RtmpMessageType.Abort:
                Abort((int)RtmpControl.ReadUInt32(payload, "Abort"));
                break;
        }
        _sink.OnMessage(stream.TypeId, stream.StreamId, payload);
    }

    /// <summary>Drops a message in progress (the peer sent Abort for its chunk stream).</summary>
    private void Abort(int chunkStreamId)
    {
        if (Find(chunkStreamId) is { InMessage: true } stream)
        {
            stream.InMessage = false;
            stream.Received = 0;
        }
    }

    private int ChunkStreamId() => (_header[0] & 0x3F) switch
    {
        0 => 64 + _header[1],
        1 => 64 + _header[1] + (_header[2] << 8),
        var id => id,
    };

    private static int BasicHeaderLength(byte first) => (first & 0x3F) switch
    {
        0 => 2,
        1 => 3,
        _ => 1,
    };

    private CountedChunkStream FindStream(int id, int format)
    {
        var stream = Find(id);
        if (stream is null)
        {
            if (format != 0)
            {
                ThrowNoPreviousHeader(id, format);
            }
            if (_streamCount >= MaxChunkStreams)
            {
                Throw($"More than {MaxChunkStreams} chunk streams.");
            }
            stream = new CountedChunkStream(id);
            if (_streamCount == _streams.Length)
            {
                Array.Resize(ref _streams, _streams.Length * 2);
            }
            _streams[_streamCount++] = stream;
        }
        if (format != 0 && !stream.HasHeader)
        {
            ThrowNoPreviousHeader(id, format);
        }
        return stream;
    }

    private CountedChunkStream? Find(int id)
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

    private static uint ReadUInt24(ReadOnlySpan<byte> bytes) => (uint)(bytes[0] << 16 | bytes[1] << 8 | bytes[2]);

    [DoesNotReturn]
    private static void ThrowNoPreviousHeader(int id, int format) =>
        Throw($"Chunk format {format} on chunk stream {id} without a previous header.");

    [DoesNotReturn]
    private static void Throw(string message) => throw new RtmpProtocolException(message);
}
