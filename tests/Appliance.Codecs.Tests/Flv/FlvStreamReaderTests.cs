using System.Buffers;
using Appliance.Codecs.Amf0;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Flv;

public class FlvStreamReaderTests
{
    /// <summary>
    /// A real 575-byte FLV from ffmpeg 5.1 (32x32 black H.264 baseline, AAC LC 44.1 kHz stereo,
    /// 0.08 s, bitexact, SEI removed): onMetaData, the two sequence headers, then frames.
    /// </summary>
    internal const string FfmpegFlv =
        "464c56010500000009000000001200010c0000000000000002000a6f6e4d65746144617461080000000c0008647572" +
        "6174696f6e003fba5e353f7ced91000577696474680040400000000000000006686569676874004040000000000000" +
        "000d766964656f646174617261746500000000000000000000096672616d6572617465004039000000000000000c76" +
        "6964656f636f646563696400401c000000000000000d617564696f6461746172617465004037700000000000000f61" +
        "7564696f73616d706c65726174650040e5888000000000000f617564696f73616d706c6573697a6500403000000000" +
        "0000000673746572656f0101000c617564696f636f6465636964004024000000000000000866696c6573697a650040" +
        "81f80000000000000009000001170900002a0000000000000017000000000142c00affe100166742c00ada25b01100" +
        "0003000100000300320f1226a001000468ce0fc8000000350800000700000000000000af00121056e5000000001208" +
        "00000800000000000000af01211004608c1c00000013090000150000170000000017010000000000000c6588843a26" +
        "28000902c9d75e000000200800000800001700000000af01211004608c1c000000130800000800002e00000000af01" +
        "211004608c1c000000130900000e00003f00000000270100000000000005419a20268b000000190800000800004500" +
        "000000af01211004608c1c000000130800000800005d00000000af01211004608c1c000000130900000500003f0000" +
        "0000170200000000000010";

    private static readonly (FlvTagType Type, uint Timestamp, int Length)[] ExpectedTags =
    [
        (FlvTagType.Script, 0, 268),
        (FlvTagType.Video, 0, 42),
        (FlvTagType.Audio, 0, 7),
        (FlvTagType.Audio, 0, 8),
        (FlvTagType.Video, 23, 21),
        (FlvTagType.Audio, 23, 8),
        (FlvTagType.Audio, 46, 8),
        (FlvTagType.Video, 63, 14),
        (FlvTagType.Audio, 69, 8),
        (FlvTagType.Audio, 93, 8),
        (FlvTagType.Video, 63, 5),
    ];

    [Fact]
    public void ReadsARealFileInOneBuffer()
    {
        var flvReader = new FlvStreamReader();
        var sequence = new ReadOnlySequence<byte>(Hex.Bytes(FfmpegFlv));
        var reader = new SequenceReader<byte>(sequence);
        var tags = ReadAll(flvReader, ref reader);
        try
        {
            Assert.True(flvReader.HeaderSeen);
            Assert.Equal(ExpectedTags, tags.Select(t => (t.Type, t.Timestamp, t.Payload.Length)));
            Assert.True(reader.End);
        }
        finally
        {
            Release(tags);
        }
    }

    [Fact]
    public void TagsOfARealFileParse()
    {
        var flvReader = new FlvStreamReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Hex.Bytes(FfmpegFlv)));
        var tags = ReadAll(flvReader, ref reader);
        try
        {
            var metadata = Amf0Reader.ReadAll(tags[0].Payload.Span);
            Assert.Equal("onMetaData", metadata[0].String);
            Assert.Equal(Amf0Kind.EcmaArray, metadata[1].Kind);
            Assert.Equal(12, metadata[1].Properties.Count);
            Assert.Equal(32.0, metadata[1].GetNumber("width"));
            Assert.Equal(7.0, metadata[1].GetNumber("videocodecid"));
            Assert.Equal(44100.0, metadata[1].GetNumber("audiosamplerate"));
            Assert.True(metadata[1]["stereo"] is { Kind: Amf0Kind.Boolean, Boolean: true });

            Assert.True(VideoTagInfo.TryParse(tags[1].Payload.Span, out var sequenceHeader));
            Assert.Equal(VideoPacketKind.SequenceHeader, sequenceHeader.Kind);
            Assert.True(AvcDecoderConfigurationRecord.TryParse(tags[1].Payload.Span[sequenceHeader.HeaderLength..], out var config));
            Assert.True(H264Sps.TryParseResolution(config!.Sps[0], out var width, out var height));
            Assert.Equal((32, 32), (width, height));

            Assert.True(AudioTagInfo.TryParse(tags[2].Payload.Span, out var audioHeader));
            Assert.True(audioHeader.IsSequenceHeader);
            Assert.True(Appliance.Codecs.Aac.AudioSpecificConfig.TryParse(tags[2].Payload.Span[audioHeader.HeaderLength..], out var asc));
            Assert.Equal((2, 44100, 2), (asc.ObjectType, asc.SampleRate, asc.Channels));

            Assert.True(VideoTagInfo.TryParse(tags[7].Payload.Span, out var inter));
            Assert.Equal(VideoFrameType.Inter, inter.FrameType);
            Assert.True(VideoTagInfo.TryParse(tags[10].Payload.Span, out var end));
            Assert.Equal(VideoPacketKind.EndOfSequence, end.Kind);
        }
        finally
        {
            Release(tags);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(13)]
    public void ReadsAcrossSegmentBoundaries(int segmentSize)
    {
        var flvReader = new FlvStreamReader();
        var reader = new SequenceReader<byte>(Segments.Split(Hex.Bytes(FfmpegFlv), segmentSize));
        var tags = ReadAll(flvReader, ref reader);
        try
        {
            Assert.Equal(ExpectedTags, tags.Select(t => (t.Type, t.Timestamp, t.Payload.Length)));
            Assert.Equal(Hex.Bytes("17000000000142C00AFFE1"), tags[1].Payload.Span[..11].ToArray());
        }
        finally
        {
            Release(tags);
        }
    }

    [Fact]
    public void FedOneByteAtATimeConsumesOnlyWholeUnits()
    {
        var file = Hex.Bytes(FfmpegFlv);
        var flvReader = new FlvStreamReader();
        var tags = new List<FlvTag>();
        var consumed = 0;
        var unitEnds = new List<int>();
        try
        {
            // Like a pipe reader: the unconsumed bytes, in 1-byte segments, grow by one byte per read.
            for (var received = 1; received <= file.Length; received++)
            {
                var reader = new SequenceReader<byte>(Segments.Split(file.AsSpan(consumed, received - consumed), 1));
                while (flvReader.TryReadTag(ref reader, out var tag))
                {
                    tags.Add(tag);
                }
                if (reader.Consumed > 0)
                {
                    consumed += (int)reader.Consumed;
                    unitEnds.Add(consumed);
                }
                Assert.Equal(received >= 13, flvReader.HeaderSeen);
            }
            Assert.Equal(file.Length, consumed);
            Assert.Equal(ExpectedTags, tags.Select(t => (t.Type, t.Timestamp, t.Payload.Length)));
            // The header alone, then each tag as soon as its PreviousTagSize arrives.
            var expectedEnds = new List<int> { 13 };
            foreach (var (_, _, length) in ExpectedTags)
            {
                expectedEnds.Add(expectedEnds[^1] + 11 + length + 4);
            }
            Assert.Equal(expectedEnds, unitEnds);
        }
        finally
        {
            Release(tags);
        }
    }

    [Fact]
    public void HeaderAloneIsConsumedAndReportsNoTag()
    {
        var flvReader = new FlvStreamReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Hex.Bytes("464C5601 04 00000009 00000000 08 0000")));
        Assert.False(flvReader.TryReadTag(ref reader, out var tag));
        Assert.Null(tag.Payload);
        Assert.Equal(13, reader.Consumed);
        Assert.True(flvReader.HeaderSeen);
    }

    [Fact]
    public void SkipsExtraHeaderBytesNamedByDataOffset()
    {
        var bytes = Hex.Bytes("464C5601 01 0000000C EEEEEE 00000000 09 000001 000010 00 000000 27 0000000C");
        var flvReader = new FlvStreamReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(flvReader.TryReadTag(ref reader, out var tag));
        try
        {
            Assert.Equal(FlvTagType.Video, tag.Type);
            Assert.Equal(16u, tag.Timestamp);
            Assert.Equal([0x27], tag.Payload.Span.ToArray());
            Assert.True(reader.End);
        }
        finally
        {
            tag.Payload.Release();
        }
    }

    [Fact]
    public void ExtendedTimestampAndEmptyPayload()
    {
        var bytes = Hex.Bytes("464C5601 05 00000009 00000000 12 000000 345678 12 000000 0000000B");
        var flvReader = new FlvStreamReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(flvReader.TryReadTag(ref reader, out var tag));
        Assert.Equal(FlvTagType.Script, tag.Type);
        Assert.Equal(0x12345678u, tag.Timestamp);
        Assert.Equal(0, tag.Payload.Length);
        tag.Payload.Release();
    }

    [Fact]
    public void IgnoresReservedBitsOfTheTypeByteAndTheStreamId()
    {
        var bytes = Hex.Bytes("464C5601 05 00000009 00000000 C8 000001 000000 00 ABCDEF AF 0000000C");
        var flvReader = new FlvStreamReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(flvReader.TryReadTag(ref reader, out var tag));
        Assert.Equal(FlvTagType.Audio, tag.Type);
        tag.Payload.Release();
    }

    [Fact]
    public void TagExactlyAtTheSizeLimitIsAccepted()
    {
        var bytes = Hex.Bytes("464C5601 05 00000009 00000000 09 000003 000000 00 000000 170200 0000000E");
        var flvReader = new FlvStreamReader(maxTagSize: 3);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(flvReader.TryReadTag(ref reader, out var tag));
        tag.Payload.Release();
    }

    private static List<FlvTag> ReadAll(FlvStreamReader flvReader, ref SequenceReader<byte> reader)
    {
        var tags = new List<FlvTag>();
        while (flvReader.TryReadTag(ref reader, out var tag))
        {
            tags.Add(tag);
        }
        return tags;
    }

    private static void Release(List<FlvTag> tags)
    {
        foreach (var tag in tags)
        {
            tag.Payload.Release();
        }
    }
}
