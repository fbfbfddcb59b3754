using System.Buffers.Binary;
using System.Security.Cryptography;
using Appliance.Codecs.Amf0;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Protocols.Rtmp;

namespace Appliance.Fuzz.Tests.Seeds;

/// <summary>RTMP seeds: C0+C1 in the plain and the Flash digest forms, and chunk streams.</summary>
public static class Rtmp
{
    // "Genuine Adobe Flash Player 001": the key a Flash client signs C1 with.
    private static readonly byte[] FlashPlayerKey = "Genuine Adobe Flash Player 001"u8.ToArray();

    /// <summary>The plain C0+C1 (version field 0), random part from a fixed seed.</summary>
    public static byte[] PlainHello(ulong seed)
    {
        var hello = new byte[RtmpHandshake.ClientHelloSize];
        RtmpHandshake.WriteClientHello(hello);
        BinaryPrimitives.WriteUInt32BigEndian(hello.AsSpan(1), 0x1234);
        new Prng(seed).Fill(hello.AsSpan(9));
        return hello;
    }

    /// <summary>A Flash-style C0+C1 with a valid digest. Scheme 1: offset from bytes 8..11 of C1; scheme 0: from bytes 772..775.</summary>
    public static byte[] DigestHello(ulong seed, int scheme)
    {
        var hello = PlainHello(seed);
        var c1 = hello.AsSpan(1);
        BinaryPrimitives.WriteUInt32BigEndian(c1[4..], 0x80000702);
        var baseOffset = scheme == 1 ? 8 : 772;
        var offset = (c1[baseOffset] + c1[baseOffset + 1] + c1[baseOffset + 2] + c1[baseOffset + 3]) % 728 + baseOffset + 4;
        var message = new byte[RtmpHandshake.PacketSize - 32];
        c1[..offset].CopyTo(message);
        c1[(offset + 32)..].CopyTo(message.AsSpan(offset));
        HMACSHA256.HashData(FlashPlayerKey, message).CopyTo(c1[offset..]);
        return hello;
    }

    /// <summary>Hand-made chunks: any format, any chunk stream id, for the header forms a plain writer never uses.</summary>
    public sealed class ChunkBuilder
    {
        private readonly List<byte> _bytes = [];

        public int ChunkSize { get; set; } = 128;

        public byte[] ToArray() => [.. _bytes];

        public ChunkBuilder Raw(params byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        public ChunkBuilder BasicHeader(int format, int chunkStreamId)
        {
            if (chunkStreamId < 64)
            {
                _bytes.Add((byte)((format << 6) | chunkStreamId));
            }
            else if (chunkStreamId < 320)
            {
                _bytes.Add((byte)(format << 6));
                _bytes.Add((byte)(chunkStreamId - 64));
            }
            else
            {
                _bytes.Add((byte)((format << 6) | 1));
                _bytes.Add((byte)((chunkStreamId - 64) & 0xFF));
                _bytes.Add((byte)((chunkStreamId - 64) >> 8));
            }
            return this;
        }

        /// <summary>One chunk: basic header, the message header its format has, extended time when due, then the piece.</summary>
        public ChunkBuilder Chunk(int format, int chunkStreamId, uint time, int length, byte typeId, uint streamId, ReadOnlySpan<byte> piece, bool extended = false)
        {
            BasicHeader(format, chunkStreamId);
            var field = extended ? 0xFFFFFFu : time;
            if (format <= 2)
            {
                Add24(field);
            }
            if (format <= 1)
            {
                Add24((uint)length);
                _bytes.Add(typeId);
            }
            if (format == 0)
            {
                var id = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(id, streamId);
                _bytes.AddRange(id);
            }
            if (extended)
            {
                var ext = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(ext, time);
                _bytes.AddRange(ext);
            }
            _bytes.AddRange(piece.ToArray());
            return this;
        }

        /// <summary>A whole message: a first chunk of <paramref name="format"/>, then format-3 continuations.</summary>
        public ChunkBuilder Message(int format, int chunkStreamId, uint time, byte typeId, uint streamId, byte[] payload, bool extended = false)
        {
            var first = Math.Min(ChunkSize, payload.Length);
            Chunk(format, chunkStreamId, time, payload.Length, typeId, streamId, payload.AsSpan(0, first), extended);
            for (var sent = first; sent < payload.Length; sent += ChunkSize)
            {
                Chunk(3, chunkStreamId, time, 0, 0, 0, payload.AsSpan(sent, Math.Min(ChunkSize, payload.Length - sent)), extended);
            }
            return this;
        }

        public ChunkBuilder Control(byte typeId, params byte[] payload) => Message(0, 2, 0, typeId, 0, payload);

        public ChunkBuilder SetChunkSize(int size)
        {
            var payload = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(payload, size);
            Control(1, payload);
            ChunkSize = size;
            return this;
        }

        public ChunkBuilder Command(uint streamId, params object?[] values) =>
            Message(0, streamId == 0 ? 3 : 5, 0, 20, streamId, Media.Amf0(values));

        private void Add24(uint value)
        {
            _bytes.Add((byte)(value >> 16));
            _bytes.Add((byte)(value >> 8));
            _bytes.Add((byte)value);
        }
    }

    public static Amf0Value ConnectObject => Amf0Value.Object(
        Amf0Value.Prop("app", "live"),
        Amf0Value.Prop("type", "nonprivate"),
        Amf0Value.Prop("flashVer", "FMLE/3.0 (compatible; obs-studio/30.0)"),
        Amf0Value.Prop("swfUrl", "rtmp://example.com/live"),
        Amf0Value.Prop("tcUrl", "rtmp://example.com:1935/live?token=abc"),
        Amf0Value.Prop("fpad", false),
        Amf0Value.Prop("capabilities", 15.0),
        Amf0Value.Prop("audioCodecs", 4071.0),
        Amf0Value.Prop("videoCodecs", 252.0),
        Amf0Value.Prop("videoFunction", 1.0),
        Amf0Value.Prop("objectEncoding", 0.0),
        Amf0Value.Prop("fourCcList", Amf0Value.StrictArray(Amf0Value.FromString("hvc1"), Amf0Value.FromString("av01"))));

    /// <summary>What an encoder sends after the handshake: connect, createStream, publish, metadata, media.</summary>
    public static byte[] PublishSession(int chunkSize)
    {
        var b = new ChunkBuilder();
        if (chunkSize != 128)
        {
            b.SetChunkSize(chunkSize);
        }
        b.Command(0, "connect", 1, ConnectObject);
        b.Control(5, 0x00, 0x26, 0x25, 0xA0);
        b.Command(0, "releaseStream", 2, null, "cam1");
        b.Command(0, "FCPublish", 3, null, "cam1");
        b.Command(0, "createStream", 4, null);
        b.Command(1, "publish", 5, null, "cam1?key=secret", "live");
        b.Message(0, 4, 0, 18, 1, Media.Amf0("@setDataFrame", "onMetaData", Media.MetaData));
        var time = 0u;
        foreach (var (type, at, payload) in Media.AvcAacTags().Skip(1))
        {
            b.Message(time == 0 ? 0 : 1, type == Appliance.Codecs.Flv.FlvTagType.Video ? 6 : 4, at, (byte)type, 1, payload);
            time = at;
        }
        b.Command(1, "FCUnpublish", 6, null, "cam1");
        b.Command(1, "deleteStream", 7, null, 1);
        return b.ToArray();
    }

    /// <summary>What a player sends: connect, createStream, play, buffer length, pause.</summary>
    public static byte[] PlaySession()
    {
        var b = new ChunkBuilder();
        b.Command(0, "connect", 1, Amf0Value.Object(Amf0Value.Prop("app", "live"), Amf0Value.Prop("tcUrl", "rtmp://example.com/live")));
        b.Control(4, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0x0B, 0xB8);
        b.Command(0, "createStream", 2, null);
        b.Command(1, "getStreamLength", 3, null, "cam1");
        b.Command(1, "play", 4, null, "cam1", -2000.0, -1.0, true);
        b.Control(4, 0x00, 0x06, 0x12, 0x34, 0x56, 0x78);
        b.Command(1, "pause", 5, null, true, 1000.0);
        b.Control(3, 0x00, 0x00, 0x10, 0x00);
        return b.ToArray();
    }

    /// <summary>The header forms: format 1 and 2, 2- and 3-byte chunk stream ids, extended time, interleaving, abort.</summary>
    public static byte[] HeaderForms()
    {
        var video = new byte[300];
        new Prng(7).Fill(video);
        video[0] = 0x27;
        video[1] = 0x01;
        var audio = Media.AacRaw;
        var b = new ChunkBuilder();
        // A video message interleaved with two audio messages, the second by format 2 (same length and type).
        b.Chunk(0, 6, 1000, video.Length, 9, 1, video.AsSpan(0, 128));
        b.Chunk(0, 4, 1000, audio.Length, 8, 1, audio);
        b.Chunk(3, 6, 0, 0, 0, 0, video.AsSpan(128, 128));
        b.Chunk(2, 4, 23, 0, 0, 0, audio);
        b.Chunk(3, 6, 0, 0, 0, 0, video.AsSpan(256));
        // Format 1 (new length and type), then format 3 starting a new message with the same delta.
        b.Chunk(1, 6, 40, 7, 9, 0, Media.AvcEndOfSequence.Concat(new byte[] { 0, 0 }).ToArray());
        b.Chunk(3, 6, 0, 0, 0, 0, Media.AvcEndOfSequence.Concat(new byte[] { 0, 0 }).ToArray());
        // Chunk stream ids that need the 2- and 3-byte basic headers.
        b.Message(0, 100, 5, 8, 1, audio);
        b.Message(0, 1000, 5, 8, 1, audio);
        b.Message(2, 1000, 5, 8, 1, audio);
        // Extended timestamps, repeated on the continuation and on a format-3 new message.
        b.Message(0, 7, 0x01000000, 9, 1, video, extended: true);
        b.Chunk(3, 7, 0x01000000, 0, 0, 0, video.AsSpan(0, 128), extended: true);
        b.Chunk(3, 7, 0x01000000, 0, 0, 0, video.AsSpan(128, 128), extended: true);
        b.Chunk(3, 7, 0x01000000, 0, 0, 0, video.AsSpan(256), extended: true);
        // A message begun and then abandoned with Abort, and the stream reused.
        b.Chunk(0, 8, 0, video.Length, 9, 1, video.AsSpan(0, 128));
        b.Control(2, 0, 0, 0, 8);
        b.Message(0, 8, 60, 9, 1, Media.AvcKeyFrame);
        // Zero-length message, acknowledgement, set peer bandwidth, shared object and AMF3 messages.
        b.Message(0, 9, 0, 8, 1, []);
        b.Control(6, 0, 0x26, 0x25, 0xA0, 2);
        b.Message(0, 3, 0, 17, 0, Media.Concat([0], Media.Amf0("call", 9, null)));
        b.Message(0, 3, 0, 15, 1, Media.Concat([0], Media.Amf0("onTextData", Amf0Value.Object(Amf0Value.Prop("text", "hi")))));
        b.Message(0, 3, 0, 19, 0, [0, 3, (byte)'o', (byte)'b', (byte)'j', 0, 0, 0, 0]);
        return b.ToArray();
    }

    /// <summary>An aggregate message (type 22): back-to-back FLV tags.</summary>
    public static byte[] Aggregate()
    {
        var flv = Media.Flv(Media.AvcAacTags().Skip(1).Take(4));
        var tags = flv.AsSpan(Appliance.Codecs.Flv.FlvWriter.FileHeaderLength).ToArray();
        return new ChunkBuilder { ChunkSize = 4096 }.SetChunkSize(4096).Message(0, 6, 0, 22, 1, tags).ToArray();
    }

    /// <summary>Large chunks, a one-byte chunk size and the largest chunk size.</summary>
    public static byte[] ChunkSizes()
    {
        var b = new ChunkBuilder();
        b.SetChunkSize(1);
        b.Command(0, "connect", 1, Amf0Value.Object(Amf0Value.Prop("app", "live")));
        b.SetChunkSize(0x7FFFFFFF);
        b.ChunkSize = RtmpChunkReader.MaxChunkSize;
        b.Message(0, 6, 0, 9, 1, Media.AvcKeyFrame);
        return b.ToArray();
    }
}
