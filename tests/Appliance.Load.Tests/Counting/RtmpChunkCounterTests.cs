using System.Buffers;
using Appliance.Load.Viewers.Counting;
using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Tests.Counting;

/// <summary>
/// The counting reader against the node's reassembling <see cref="RtmpChunkReader"/>: the same
/// messages, timestamps and lengths, however the bytes are split; malformed streams refused with the reason.
/// </summary>
public class RtmpChunkCounterTests
{
    private const int HeadSize = 32;

    [Fact]
    public void CountsWhatTheReassemblingReaderReadsAtEveryChunkSizeAndEverySplit()
    {
        var bytes = new RtmpBytes()
            .Message(3, 0, RtmpMessageType.CommandAmf0, 0, Filler(200))
            .Message(6, 0, RtmpMessageType.Video, 1, RtmpBytes.Video(key: true, sequenceHeader: true, 40))
            .Message(6, 0, RtmpMessageType.Video, 1, RtmpBytes.Video(key: true, sequenceHeader: false, 300))
            .Message(4, 10, RtmpMessageType.Audio, 1, RtmpBytes.Audio(50))
            .SetChunkSize(1000)
            .Message(6, 40, RtmpMessageType.Video, 1, RtmpBytes.Video(key: false, sequenceHeader: false, 1500))
            // Past 0xFFFFFF: the extended timestamp, repeated in every continuation chunk.
            .Message(6, 0x01000000, RtmpMessageType.Video, 1, RtmpBytes.Video(key: false, sequenceHeader: false, 2100))
            .SetChunkSize(1)
            .Message(4, 0x01000010, RtmpMessageType.Audio, 1, RtmpBytes.Audio(6))
            .SetChunkSize(4096)
            .Message(5, 0x01000020, RtmpMessageType.DataAmf0, 1, Filler(90))
            .Message(6, 0x01000028, RtmpMessageType.Video, 1, RtmpBytes.Video(key: false, sequenceHeader: false, 3))
            .ToArray();

        var expected = Reference(bytes);
        Assert.Equal(12, expected.Count);
        AssertSameAtEverySplit(bytes, expected);
    }

    [Fact]
    public void FollowsInterleavedChunkStreamsAndTheirHeaderFormats()
    {
        var a = RtmpBytes.Video(key: true, sequenceHeader: false, 300);
        var bytes = new RtmpBytes()
            // A (video, 300 bytes, chunk stream 6): its first chunk.
            .Raw(0x06, 0x00, 0x03, 0xE8, 0x00, 0x01, 0x2C, 0x09, 1, 0, 0, 0).Raw(a[..128])
            // B (audio, chunk stream 4) whole in between: fmt 0 at 1005.
            .Raw(0x04, 0x00, 0x03, 0xED, 0x00, 0x00, 0x14, 0x08, 1, 0, 0, 0).Raw(RtmpBytes.Audio(20))
            .Raw(0xC6).Raw(a[128..256])
            // fmt 2: the same length and type, 20 ms later.
            .Raw(0x84, 0x00, 0x00, 0x14).Raw(RtmpBytes.Audio(20))
            .Raw(0xC6).Raw(a[256..])
            // fmt 3 starting a message: the last delta again.
            .Raw(0xC4).Raw(RtmpBytes.Audio(20))
            // fmt 1 on A's stream: 40 ms later, 10 bytes.
            .Raw(0x46, 0x00, 0x00, 0x28, 0x00, 0x00, 0x0A, 0x09).Raw(RtmpBytes.Video(key: false, sequenceHeader: false, 10))
            .ToArray();

        var expected = Reference(bytes);
        Assert.Equal(
            new[] { "t=1005 n=20", "t=1025 n=20", "t=1000 n=300", "t=1045 n=20", "t=1040 n=10" },
            expected.Select(m => string.Join(' ', m.Split(' ')[2..4])));
        AssertSameAtEverySplit(bytes, expected);
    }

    [Fact]
    public void CarriesExtendedTimestampsIntoFmt3MessagesAndAcrossThe32BitWrap()
    {
        var bytes = new RtmpBytes()
            // fmt 0 with the marker and 0x01000000 extended, then a fmt 3 message repeating it as its delta.
            .Raw(0x06, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x08, 1, 0, 0, 0, 0x01, 0x00, 0x00, 0x00, 0xAF, 0x01)
            .Raw(0xC6, 0x01, 0x00, 0x00, 0x00, 0xAF, 0x01)
            // Near the wrap: fmt 0 at 0xFFFFFFF0, then fmt 2 with delta 0x20 wraps to 0x10.
            .Raw(0x04, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x08, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0xAF, 0x01)
            .Raw(0x84, 0x00, 0x00, 0x20, 0xAF, 0x01)
            .ToArray();

        var expected = Reference(bytes);
        Assert.Equal(new[] { "t=16777216", "t=33554432", "t=4294967280", "t=16" }, expected.Select(m => m.Split(' ')[2]));
        AssertSameAtEverySplit(bytes, expected);
    }

    [Fact]
    public void AbortDropsTheMessageInProgress()
    {
        var abort = new byte[RtmpControl.MaxControlLength];
        var bytes = new RtmpBytes()
            .Raw(0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2C, 0x09, 1, 0, 0, 0).Raw(Filler(128))
            // Abort (type 2) for chunk stream 6 on chunk stream 2.
            .Raw(0x02, 0, 0, 0, 0, 0, 4, 0x02, 0, 0, 0, 0, 0, 0, 0, 6)
            .Message(6, 50, RtmpMessageType.Video, 1, RtmpBytes.Video(key: true, sequenceHeader: false, 10))
            .ToArray();

        var expected = Reference(bytes);
        Assert.Equal(2, expected.Count);
        Assert.StartsWith("media 9 t=50 n=10", expected[1], StringComparison.Ordinal);
        AssertSameAtEverySplit(bytes, expected);
    }

    [Fact]
    public void KeepsOnlyTheHeadOfAVideoMessage()
    {
        var frame = RtmpBytes.Video(key: true, sequenceHeader: false, 5000);
        var bytes = new RtmpBytes().Message(6, 0, RtmpMessageType.Video, 1, frame).ToArray();
        var heads = new List<byte[]>();
        var counter = new RtmpChunkCounter(new HeadSink(heads), HeadSize);

        counter.Feed(bytes);

        Assert.Equal(frame[..HeadSize], Assert.Single(heads));
        Assert.Equal(bytes.Length, counter.Bytes);
        Assert.Equal(1, counter.MediaMessages);
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "fmt 1 first", [0x46, 0, 0, 0, 0, 0, 1, 0x09, 0x17], "Chunk format 1 on chunk stream 6 without a previous header." },
        { "fmt 2 first", [0x86, 0, 0, 0, 0x17], "Chunk format 2 on chunk stream 6 without a previous header." },
        { "fmt 3 first", [0xC6, 0x17], "Chunk format 3 on chunk stream 6 without a previous header." },
        { "huge command", [0x03, 0, 0, 0, 0x01, 0x11, 0x70, 0x14, 0, 0, 0, 0], "A message of type 20 and 70000 bytes on chunk stream 3: control and command messages are at most 65536." },
        {
            "length changed mid-message",
            [0x06, 0, 0, 0, 0, 0x01, 0x2C, 0x09, 1, 0, 0, 0, .. Filler(128), 0x46, 0, 0, 0, 0, 0, 0x0A, 0x09],
            "Chunk stream 6 changed message length from 300 to 10 mid-message."
        },
        { "chunk size 0", [0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], "Invalid chunk size 0." },
        { "short abort", [0x02, 0, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 0, 6], "Abort message of 2 bytes." },
        { "too many chunk streams", TooManyChunkStreams(), "More than 64 chunk streams." },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RefusesAMalformedStreamWithTheReasonHoweverItIsSplit(string what, byte[] bytes, string reason)
    {
        Assert.NotEmpty(what);
        var whole = Assert.Throws<RtmpProtocolException>(() => Counter(new RecordingSink()).Feed(bytes));
        Assert.Equal(reason, whole.Message);
        var counter = Counter(new RecordingSink());
        var byByte = Assert.Throws<RtmpProtocolException>(() =>
        {
            foreach (var b in bytes)
            {
                counter.Feed([b]);
            }
        });
        Assert.Equal(reason, byByte.Message);
    }

    private static RtmpChunkCounter Counter(IRtmpCountSink sink) => new(sink, HeadSize);

    /// <summary>Whole, split in two at every byte, and a byte at a time: the same messages as <paramref name="expected"/>.</summary>
    private static void AssertSameAtEverySplit(byte[] bytes, List<string> expected)
    {
        for (var split = 0; split <= bytes.Length; split++)
        {
            var sink = new RecordingSink();
            var counter = Counter(sink);
            counter.Feed(bytes.AsSpan(0, split));
            counter.Feed(bytes.AsSpan(split));
            Assert.True(expected.SequenceEqual(sink.Messages), $"split at {split}: {string.Join(" | ", sink.Messages)}");
            Assert.Equal(bytes.Length, counter.Bytes);
        }
        var bytewise = new RecordingSink();
        var one = Counter(bytewise);
        foreach (var b in bytes)
        {
            one.Feed([b]);
        }
        Assert.Equal(expected, bytewise.Messages);
    }

    /// <summary>What the node's reassembling reader makes of <paramref name="bytes"/>, in the recording's terms.</summary>
    private static List<string> Reference(byte[] bytes)
    {
        var reader = new RtmpChunkReader();
        var sink = new RecordingSink();
        var sequence = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        while (reader.TryReadMessage(ref sequence, out var message))
        {
            var payload = message.Payload.Span;
            switch (message.TypeId)
            {
                case RtmpMessageType.Audio or RtmpMessageType.Video or RtmpMessageType.DataAmf0 or RtmpMessageType.Aggregate:
                    var head = message.TypeId == RtmpMessageType.Video ? payload[..Math.Min(payload.Length, HeadSize)] : default;
                    sink.OnMedia(message.TypeId, message.Timestamp, payload.Length, head);
                    break;
                case RtmpMessageType.SetChunkSize:
                    reader.ChunkSize = RtmpControl.ReadSetChunkSize(payload);
                    sink.OnMessage(message.TypeId, message.StreamId, payload);
                    break;
                case RtmpMessageType.Abort:
                    reader.Abort((int)RtmpControl.ReadUInt32(payload, "Abort"));
                    sink.OnMessage(message.TypeId, message.StreamId, payload);
                    break;
                default:
                    sink.OnMessage(message.TypeId, message.StreamId, payload);
                    break;
            }
            message.Payload.Release();
        }
        Assert.True(sequence.End, "the reference reader left bytes unread");
        return sink.Messages;
    }

    private static byte[] Filler(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7))];

    /// <summary>Empty audio messages on chunk streams 2 to 66 (fmt 0, 2-byte basic header past 63).</summary>
    private static byte[] TooManyChunkStreams()
    {
        var bytes = new List<byte>();
        for (var id = 2; id <= 66; id++)
        {
            bytes.AddRange(id < 64 ? [(byte)id] : [0x00, (byte)(id - 64)]);
            bytes.AddRange([0, 0, 0, 0, 0, 0, 0x08, 1, 0, 0, 0]);
        }
        return [.. bytes];
    }

    private sealed class HeadSink(List<byte[]> heads) : IRtmpCountSink
    {
        public void OnMedia(byte typeId, uint timestamp, int length, ReadOnlySpan<byte> head) => heads.Add(head.ToArray());

        public void OnMessage(byte typeId, uint streamId, ReadOnlySpan<byte> payload)
        {
        }
    }
}
