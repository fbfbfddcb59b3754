using System.Text;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Load.Publish;
using Appliance.Load.Targets;
using Appliance.Load.Viewers;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Tests.Counting;

/// <summary>The HTTP-FLV tag counter: tags, coded video frames and keyframes counted however the body is split; malformed bodies refused.</summary>
public class FlvTagCounterTests
{
    [Fact]
    public void CountsTagsFramesAndKeyFramesAtEverySplit()
    {
        var body = Flv();

        for (var split = 0; split <= body.Length; split++)
        {
            var counter = new FlvTagCounter(null);
            counter.Write(body.AsSpan(0, split));
            counter.Write(body.AsSpan(split));
            Assert.True((6L, 3L, 1L) == (counter.Tags, counter.VideoFrames, counter.KeyFrames),
                $"split at {split}: {counter.Tags} tags, {counter.VideoFrames} frames, {counter.KeyFrames} keyframes");
        }
        var bytewise = new FlvTagCounter(null);
        foreach (var b in body)
        {
            bytewise.Write([b]);
        }
        Assert.Equal((6L, 3L, 1L), (bytewise.Tags, bytewise.VideoFrames, bytewise.KeyFrames));
    }

    [Fact]
    public void TellsTheViewerAboutEachTag()
    {
        var stats = new ViewerStats(0, StreamProtocol.HttpFlv);
        stats.OnStart();
        var counter = new FlvTagCounter(stats);

        counter.Write(Flv());

        Assert.Equal(3, stats.VideoFrames);
        Assert.True(stats.FirstMediaMs >= 0);
        Assert.True(stats.FirstKeyFrameMs >= 0);
    }

    [Fact]
    public void ReadsTheLatencyStampOfAFrameSplitAnywhere()
    {
        var sent = SeiStamp.UnixMicroseconds(DateTime.UtcNow) - 50_000;
        byte[] frame = [0x17, 0x01, 0x00, 0x00, 0x00, 0, 0, 0x0B, 0xBC, 0x65, 0x88, 0x84, 0x00, .. new byte[3000]];
        var stamped = new StampInserter(nalLengthSize: 4).Stamp(frame, sent, out _).ToArray();
        var body = new FlvBody().Tag(FlvTagType.Video, 0, stamped).ToArray();

        for (var split = 0; split <= body.Length; split += 7)
        {
            var stats = new ViewerStats(0, StreamProtocol.HttpFlv, stamps: true);
            stats.OnStart();
            var counter = new FlvTagCounter(stats);
            counter.Write(body.AsSpan(0, split));
            counter.Write(body.AsSpan(split));
            Assert.Equal(1, stats.Latency!.Samples);
            Assert.Equal(sent, stats.Latency.FirstStamp);
        }
    }

    [Fact]
    public void ACountedChunkedBodyEndsWithItsLastChunkHoweverItIsSplit()
    {
        var flv = Flv();
        var chunked = new List<byte>();
        for (var at = 0; at < flv.Length; at += 97)
        {
            var piece = flv[at..Math.Min(flv.Length, at + 97)];
            chunked.AddRange(Encoding.ASCII.GetBytes($"{piece.Length:x};ext=1\r\n"));
            chunked.AddRange(piece);
            chunked.AddRange("\r\n"u8.ToArray());
        }
        chunked.AddRange("0\r\n\r\n"u8.ToArray());
        var bytes = chunked.ToArray();

        for (var split = 0; split <= bytes.Length; split++)
        {
            var counter = new FlvTagCounter(null);
            var body = new ChunkedLiveBody(counter);
            var endedEarly = body.Write(bytes.AsMemory(0, split));
            var ended = body.Write(bytes.AsMemory(split));
            Assert.True(!endedEarly || split == bytes.Length, $"ended before the last chunk, split at {split}");
            Assert.True(ended || endedEarly, $"did not end, split at {split}");
            Assert.Equal((6L, 3L), (counter.Tags, counter.VideoFrames));
        }
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "not FLV", "GET"u8.ToArray(), "Not an FLV stream: bad signature." },
        { "data offset 8", [.. "FLV"u8, 1, 5, 0, 0, 0, 8], "FLV header DataOffset 8 is outside 9..1024." },
        { "data offset 2000", [.. "FLV"u8, 1, 5, 0, 0, 0x07, 0xD0], "FLV header DataOffset 2000 is outside 9..1024." },
        { "PreviousTagSize0", [.. "FLV"u8, 1, 5, 0, 0, 0, 9, 0, 0, 0, 1], "FLV PreviousTagSize0 is not 0." },
        { "tag type 7", [.. Header(), 0x07], "Unknown FLV tag type 0x07." },
        { "PreviousTagSize", [.. Header(), 0x08, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0xAF, 0x01, 0, 0, 0, 12], "FLV PreviousTagSize 12 does not match the tag size 13." },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RefusesAMalformedBodyWithTheReasonHoweverItIsSplit(string what, byte[] bytes, string reason)
    {
        Assert.NotEmpty(what);
        Assert.Equal(reason, Assert.Throws<FlvFormatException>(() => new FlvTagCounter(null).Write(bytes)).Message);
        var counter = new FlvTagCounter(null);
        var byByte = Assert.Throws<FlvFormatException>(() =>
        {
            foreach (var b in bytes)
            {
                counter.Write([b]);
            }
        });
        Assert.Equal(reason, byByte.Message);
    }

    [Fact]
    public void ANonFlvResponseFailsOnItsFirstByte()
    {
        Assert.Throws<FlvFormatException>(() => new FlvTagCounter(null).Write("<"u8));
    }

    private static byte[] Header()
    {
        var header = new byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(header, hasAudio: true, hasVideo: true);
        return header;
    }

    /// <summary>Script, sequence header, keyframe, audio, two inter frames (one of them empty of NALs).</summary>
    private static byte[] Flv() => new FlvBody()
        .Tag(FlvTagType.Script, 0, new byte[30])
        .Tag(FlvTagType.Video, 0, [0x17, 0x00, 0, 0, 0, 1, 2, 3])
        .Tag(FlvTagType.Video, 0, [0x17, 0x01, 0, 0, 0, .. new byte[500]])
        .Tag(FlvTagType.Audio, 10, [0xAF, 0x01, .. new byte[40]])
        .Tag(FlvTagType.Video, 40, [0x27, 0x01, 0, 0, 0, .. new byte[200]])
        .Tag(FlvTagType.Video, 80, [0x27, 0x01, 0, 0, 0])
        .ToArray();

    private sealed class FlvBody
    {
        private readonly List<byte> _bytes = [.. Header()];

        public FlvBody Tag(FlvTagType type, uint timestamp, byte[] payload)
        {
            var tag = new byte[FlvWriter.TagLength(payload.Length)];
            FlvWriter.WriteTag(tag, type, timestamp, payload);
            _bytes.AddRange(tag);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
