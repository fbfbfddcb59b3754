using System.Buffers;
using System.Buffers.Binary;
using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Protocols.Rtmp;

namespace Appliance.Fuzz.Tests.Seeds;

/// <summary>
/// Structure-aware mutations for the framed formats, where most byte-level edits only break the
/// framing (a length, a trailer, the 188-byte grid): they edit inside a frame and write the frame
/// back consistent, so the input reaches the parsers behind the framing.
/// </summary>
public static class Structured
{
    private static byte[][] MediaPayloads { get; } =
    [
        Media.AvcSequenceHeader, Media.AvcKeyFrame, Media.AvcInterFrame, Media.AvcEndOfSequence, Media.LegacyHevcSequenceHeader,
        Media.LegacyHevcKeyFrame, Media.ExHevcSequenceStart, Media.ExHevcCodedFrames, Media.ExHevcCodedFramesX, Media.ExModExCodedFrames,
        Media.ExMultitrackVideo, Media.ExAvcCodedFrames, Media.AacSequenceHeader, Media.AacRaw, Media.ExOpusSequenceStart, Media.ExMultitrackAudio,
    ];

    /// <summary>FLV: edit one tag (payload bytes, type, time), or drop, repeat or swap tags; sizes and trailers are rewritten.</summary>
    public static byte[]? Flv(byte[] input, Prng rng, IReadOnlyList<byte[]> dictionary)
    {
        if (input.Length < FlvWriter.FileHeaderLength || input[0] != 'F' || input[1] != 'L' || input[2] != 'V')
        {
            return null;
        }
        var tags = new List<(byte Type, uint Time, byte[] Payload)>();
        var offset = FlvWriter.FileHeaderLength;
        while (input.Length - offset >= FlvWriter.TagHeaderLength)
        {
            var size = (input[offset + 1] << 16) | (input[offset + 2] << 8) | input[offset + 3];
            if (input.Length - offset - FlvWriter.TagHeaderLength < size)
            {
                break;
            }
            var time = (uint)((input[offset + 4] << 16) | (input[offset + 5] << 8) | input[offset + 6]) | ((uint)input[offset + 7] << 24);
            tags.Add((input[offset], time, input.AsSpan(offset + FlvWriter.TagHeaderLength, size).ToArray()));
            offset += FlvWriter.TagHeaderLength + size + FlvWriter.TagTrailerLength;
        }
        if (tags.Count == 0)
        {
            tags.Add((9, 0, rng.Pick(MediaPayloads)));
        }
        var mutator = new Mutator(rng, dictionary, Executor.MaxInputLength);
        var at = rng.Next(tags.Count);
        var (type, stamp, payload) = tags[at];
        switch (rng.Next(8))
        {
            case 0:
            case 1:
            case 2:
                tags[at] = (type, stamp, mutator.Mutate(payload, MediaPayloads));
                break;
            case 3:
                tags[at] = (rng.Pick<byte>([8, 9, 18, 8 | 0x20, 9 | 0xC0]), stamp, payload);
                break;
            case 4:
                tags[at] = (type, rng.Pick<uint>([0, 1, stamp + 1000, stamp - 1, 0xFFFFFF, 0x1000000, uint.MaxValue, (uint)rng.Next(100000)]), payload);
                break;
            case 5:
                tags.Insert(rng.Next(tags.Count + 1), rng.OneIn(2) ? tags[at] : (rng.Pick<byte>([8, 9]), stamp, rng.Pick(MediaPayloads)));
                break;
            case 6:
                tags.RemoveAt(at);
                break;
            default:
                var other = rng.Next(tags.Count);
                (tags[at], tags[other]) = (tags[other], tags[at]);
                break;
        }
        var output = new List<byte>(input.AsSpan(0, FlvWriter.FileHeaderLength).ToArray());
        foreach (var (tagType, time, body) in tags)
        {
            if (output.Count + body.Length + 15 > Executor.MaxInputLength)
            {
                break;
            }
            var tag = new byte[FlvWriter.TagLength(body.Length)];
            FlvWriter.WriteTag(tag, (FlvTagType)9, time, body);
            tag[0] = tagType;
            output.AddRange(tag);
        }
        return [.. output];
    }

    /// <summary>MPEG-TS: edit one 188-byte packet's header fields or payload, or drop, repeat or swap packets, keeping the grid.</summary>
    public static byte[]? Ts(byte[] input, Prng rng, IReadOnlyList<byte[]> dictionary)
    {
        if (input.Length < TsPacket.Size || input[0] != TsPacket.SyncByte)
        {
            return null;
        }
        var packets = new List<byte[]>();
        for (var offset = 0; offset + TsPacket.Size <= input.Length; offset += TsPacket.Size)
        {
            packets.Add(input.AsSpan(offset, TsPacket.Size).ToArray());
        }
        var count = 1 << rng.Next(3);
        for (var i = 0; i < count && packets.Count > 0; i++)
        {
            var packet = rng.Pick(packets);
            switch (rng.Next(10))
            {
                case 0:
                    // PID: the tables, the muxer's streams, null, or anything.
                    var pid = rng.Pick<int>([0, 0x1000, 0x100, 0x101, 0x1FFF, 0x11, rng.Next(0x2000)]);
                    packet[1] = (byte)((packet[1] & 0xE0) | (pid >> 8));
                    packet[2] = (byte)pid;
                    break;
                case 1:
                    packet[3] = (byte)((packet[3] & 0xF0) | rng.Next(16));
                    break;
                case 2:
                    packet[1] ^= rng.Pick<byte>([0x40, 0x80, 0x20]);
                    break;
                case 3:
                    packet[3] = (byte)((packet[3] & 0xCF) | (rng.Next(4) << 4));
                    break;
                case 4:
                    packet[4] = rng.Pick<byte>([0, 1, 7, 182, 183, 184, 255, (byte)rng.Next(256)]);
                    break;
                case 5:
                    // Inside the payload: PES and section headers, bytes flipped where they are.
                    var position = rng.Next(4, rng.OneIn(2) ? 24 : TsPacket.Size);
                    packet[position] = rng.OneIn(2) ? (byte)(packet[position] ^ (1 << rng.Next(8))) : rng.Pick<byte>([0, 1, 0xFF, 0x80, 0x7F, 0xE0, 0xC0, 0xB0]);
                    break;
                case 6:
                    packets.Insert(rng.Next(packets.Count + 1), (byte[])rng.Pick(packets).Clone());
                    break;
                case 7:
                    packets.Remove(packet);
                    break;
                case 8:
                    var a = rng.Next(packets.Count);
                    var b = rng.Next(packets.Count);
                    (packets[a], packets[b]) = (packets[b], packets[a]);
                    break;
                default:
                    var edited = new Mutator(rng, dictionary, TsPacket.Size).Mutate(packet[4..], []);
                    Array.Clear(packet, 4, TsPacket.Size - 4);
                    edited.AsSpan(0, Math.Min(edited.Length, TsPacket.Size - 4)).CopyTo(packet.AsSpan(4));
                    break;
            }
        }
        return [.. packets.Take(Executor.MaxInputLength / TsPacket.Size).SelectMany(p => p)];
    }

    /// <summary>
    /// RTMP: reads the messages with the real chunk reader, edits one (payload, type, time) or drops
    /// or repeats one, and writes them all back as chunks again, with a chunk size of its own.
    /// </summary>
    public static byte[]? Rtmp(byte[] input, Prng rng, IReadOnlyList<byte[]> dictionary)
    {
        var messages = new List<(int ChunkStream, uint Time, byte Type, uint Stream, byte[] Payload)>();
        var chunks = new RtmpChunkReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        try
        {
            while (chunks.TryReadMessage(ref reader, out var message))
            {
                messages.Add((message.ChunkStreamId, message.Timestamp, message.TypeId, message.StreamId, message.Payload.Span.ToArray()));
                if (message.TypeId == RtmpMessageType.SetChunkSize && message.Payload.Length >= 4)
                {
                    var size = BinaryPrimitives.ReadUInt32BigEndian(message.Payload.Span);
                    if (size is > 0 and <= int.MaxValue)
                    {
                        chunks.ChunkSize = (int)Math.Min(size, RtmpChunkReader.MaxChunkSize);
                    }
                }
                message.Payload.Release();
            }
        }
        catch (RtmpProtocolException)
        {
        }
        finally
        {
            chunks.Reset();
        }
        if (messages.Count == 0)
        {
            return null;
        }
        var at = rng.Next(messages.Count);
        var (id, time, type, stream, payload) = messages[at];
        switch (rng.Next(6))
        {
            case 0:
            case 1:
            case 2:
                messages[at] = (id, time, type, stream, new Mutator(rng, dictionary, 1 << 16).Mutate(payload, MediaPayloads));
                break;
            case 3:
                messages[at] = (id, time, rng.Pick<byte>([1, 2, 3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22, (byte)rng.Next(256)]), stream, payload);
                break;
            case 4:
                messages.Insert(rng.Next(messages.Count + 1), messages[at] with { Time = rng.Pick<uint>([0, time + 1, 0xFFFFFE, 0xFFFFFF, 0x1000000]) });
                break;
            default:
                messages.RemoveAt(at);
                break;
        }
        var builder = new Rtmp.ChunkBuilder();
        if (rng.OneIn(2))
        {
            builder.SetChunkSize(rng.Pick<int>([1, 2, 64, 127, 129, 4096, 65536]));
        }
        var seen = new HashSet<int>();
        foreach (var (chunkStream, stamp, typeId, streamId, body) in messages)
        {
            var format = seen.Add(chunkStream) || rng.OneIn(2) ? 0 : 1;
            builder.Message(format, chunkStream, stamp, typeId, streamId, body, extended: stamp >= 0xFFFFFF);
            if (typeId == RtmpMessageType.SetChunkSize && body.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(body) is > 0 and <= int.MaxValue and var size)
            {
                builder.ChunkSize = (int)Math.Min(size, RtmpChunkReader.MaxChunkSize);
            }
        }
        var output = builder.ToArray();
        return output.Length > Executor.MaxInputLength ? output[..Executor.MaxInputLength] : output;
    }
}
