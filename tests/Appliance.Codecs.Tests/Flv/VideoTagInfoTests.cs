using Appliance.Codecs.Flv;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Flv;

public class VideoTagInfoTests
{
    [Fact]
    public void LegacyAvcSequenceHeader()
    {
        var info = Parse("17 00 000000 01640028");
        Assert.Equal(VideoCodec.Avc, info.Codec);
        Assert.Equal(VideoFrameType.Key, info.FrameType);
        Assert.True(info.IsKeyFrame);
        Assert.Equal(VideoPacketKind.SequenceHeader, info.Kind);
        Assert.Equal(0, info.CompositionTimeMs);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void LegacyAvcKeyFrameWithCompositionTime()
    {
        var info = Parse("17 01 000050 00000005 65");
        Assert.Equal(VideoPacketKind.CodedFrames, info.Kind);
        Assert.True(info.IsKeyFrame);
        Assert.Equal(80, info.CompositionTimeMs);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void LegacyAvcInterFrameWithNegativeCompositionTime()
    {
        var info = Parse("27 01 FFFFF6 00000005 41");
        Assert.Equal(VideoFrameType.Inter, info.FrameType);
        Assert.False(info.IsKeyFrame);
        Assert.Equal(-10, info.CompositionTimeMs);
    }

    [Fact]
    public void LegacyAvcDisposableInterAndEndOfSequence()
    {
        Assert.Equal(VideoFrameType.DisposableInter, Parse("37 01 000000").FrameType);
        Assert.Equal(VideoPacketKind.EndOfSequence, Parse("17 02 000000").Kind);
    }

    [Fact]
    public void LegacyHevcWithCodecId12()
    {
        var info = Parse("1C 00 000000");
        Assert.Equal(VideoCodec.Hevc, info.Codec);
        Assert.Equal(VideoPacketKind.SequenceHeader, info.Kind);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void LegacyAvcCommandFrame()
    {
        var info = Parse("57 00 000000 01");
        Assert.Equal(VideoFrameType.Command, info.FrameType);
        Assert.Equal(VideoPacketKind.MultitrackOrOther, info.Kind);
    }

    [Theory]
    [InlineData("22 00", VideoCodec.SorensonH263, VideoFrameType.Inter)]
    [InlineData("13 00", VideoCodec.ScreenVideo, VideoFrameType.Key)]
    [InlineData("14 00", VideoCodec.Vp6, VideoFrameType.Key)]
    [InlineData("35 00", VideoCodec.Vp6Alpha, VideoFrameType.DisposableInter)]
    [InlineData("16 00", VideoCodec.ScreenVideo2, VideoFrameType.Key)]
    [InlineData("42", VideoCodec.SorensonH263, VideoFrameType.Generated)]
    public void LegacyOtherCodecs(string hex, VideoCodec codec, VideoFrameType frameType)
    {
        var info = Parse(hex);
        Assert.Equal(codec, info.Codec);
        Assert.Equal(frameType, info.FrameType);
        Assert.Equal(VideoPacketKind.CodedFrames, info.Kind);
        Assert.Equal(1, info.HeaderLength);
    }

    [Theory]
    [InlineData("17 01 000050 00000005 65", true)]
    [InlineData("27 01 000000 00000005 41", true)]
    [InlineData("17 00 000000 01640028", true)]
    [InlineData("22 00", false)]
    [InlineData("91 68766331 000028 00000003 260188", true)]
    [InlineData("A3 68766331 00000003 020188", false)]
    [InlineData("91 61763031 12000A0B", false)]
    [InlineData("90 68766331 01016000", false)]
    public void SaysWhetherTheHeaderEndsWithACompositionTime(string hex, bool has)
    {
        var info = Parse(hex);
        Assert.Equal(has, info.HasCompositionTime);
    }

    [Fact]
    public void EnhancedHevcSequenceStart()
    {
        var info = Parse("90 68766331 01016000");
        Assert.Equal(VideoCodec.Hevc, info.Codec);
        Assert.Equal(VideoFrameType.Key, info.FrameType);
        Assert.Equal(VideoPacketKind.SequenceHeader, info.Kind);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void EnhancedHevcCodedFramesCarryCompositionTime()
    {
        var info = Parse("91 68766331 000028 00000003 260188");
        Assert.Equal(VideoPacketKind.CodedFrames, info.Kind);
        Assert.True(info.IsKeyFrame);
        Assert.Equal(40, info.CompositionTimeMs);
        Assert.Equal(8, info.HeaderLength);
    }

    [Fact]
    public void EnhancedHevcCodedFramesXHaveNoCompositionTime()
    {
        var info = Parse("A3 68766331 00000003 020188");
        Assert.Equal(VideoCodec.Hevc, info.Codec);
        Assert.Equal(VideoFrameType.Inter, info.FrameType);
        Assert.Equal(VideoPacketKind.CodedFrames, info.Kind);
        Assert.Equal(0, info.CompositionTimeMs);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void EnhancedAvcCodedFramesWithNegativeCompositionTime()
    {
        var info = Parse("A1 61766331 FFFFD8 00");
        Assert.Equal(VideoCodec.Avc, info.Codec);
        Assert.Equal(-40, info.CompositionTimeMs);
        Assert.Equal(8, info.HeaderLength);
    }

    [Fact]
    public void EnhancedAv1SequenceStartAndCodedFrames()
    {
        var start = Parse("90 61763031 81000C00");
        Assert.Equal(VideoCodec.Av1, start.Codec);
        Assert.Equal(VideoPacketKind.SequenceHeader, start.Kind);
        Assert.Equal(5, start.HeaderLength);

        // AV1 CodedFrames has no composition time: the OBUs start right after the FourCC.
        var frame = Parse("91 61763031 12000A0B");
        Assert.Equal(VideoPacketKind.CodedFrames, frame.Kind);
        Assert.Equal(0, frame.CompositionTimeMs);
        Assert.Equal(5, frame.HeaderLength);
    }

    [Fact]
    public void EnhancedVp9()
    {
        var info = Parse("A1 76703039 82");
        Assert.Equal(VideoCodec.Vp9, info.Codec);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void EnhancedSequenceEndMetadataAndTsSequenceStart()
    {
        Assert.Equal(VideoPacketKind.EndOfSequence, Parse("92 68766331").Kind);
        Assert.Equal(VideoPacketKind.Metadata, Parse("94 68766331 02000A636F6C6F72496E666F").Kind);
        Assert.Equal(VideoPacketKind.MultitrackOrOther, Parse("95 61763031").Kind);
    }

    [Fact]
    public void EnhancedUnknownFourCcIsAnUnknownCodec()
    {
        var info = Parse("90 76766331");  // 'vvc1'
        Assert.Equal(VideoCodec.Unknown, info.Codec);
        Assert.Equal(VideoPacketKind.SequenceHeader, info.Kind);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void EnhancedModExIsSkippedToTheRealPacketType()
    {
        // ModEx: size-1 = 0 (one byte of data: AB), then modifier 0 / packet type 1 (CodedFrames), FourCC, CT.
        var info = Parse("97 00 AB 01 68766331 000010 00");
        Assert.Equal(VideoPacketKind.CodedFrames, info.Kind);
        Assert.Equal(VideoCodec.Hevc, info.Codec);
        Assert.Equal(16, info.CompositionTimeMs);
        Assert.Equal(11, info.HeaderLength);
    }

    [Fact]
    public void EnhancedModExWithSixteenBitSize()
    {
        // size byte FF means "read a u16": 0x0100 + 1 = 257 bytes of modifier data.
        var payload = new byte[1 + 1 + 2 + 257 + 1 + 4];
        payload[0] = 0x97;
        payload[1] = 0xFF;
        payload[2] = 0x01;
        payload[3] = 0x00;
        payload[261] = 0x03;  // next packet type CodedFramesX
        Hex.Bytes("61763031").CopyTo(payload, 262);
        Assert.True(VideoTagInfo.TryParse(payload, out var info));
        Assert.Equal(VideoCodec.Av1, info.Codec);
        Assert.Equal(VideoPacketKind.CodedFrames, info.Kind);
        Assert.Equal(payload.Length, info.HeaderLength);
    }

    [Fact]
    public void EnhancedMultitrack()
    {
        // Multitrack, type OneTrack (0) with CodedFramesX (3), FourCC hvc1, then track id 0.
        var one = Parse("96 03 68766331 00");
        Assert.Equal(VideoPacketKind.MultitrackOrOther, one.Kind);
        Assert.Equal(VideoCodec.Hevc, one.Codec);
        Assert.Equal(6, one.HeaderLength);

        // ManyTracksManyCodecs (2): each track names its own FourCC, so none here.
        var many = Parse("96 21 00 68766331");
        Assert.Equal(VideoPacketKind.MultitrackOrOther, many.Kind);
        Assert.Equal(VideoCodec.Unknown, many.Codec);
        Assert.Equal(2, many.HeaderLength);
    }

    [Fact]
    public void EnhancedCommandFrameHasNoFourCc()
    {
        var info = Parse("D1 00");
        Assert.Equal(VideoFrameType.Command, info.FrameType);
        Assert.Equal(VideoPacketKind.MultitrackOrOther, info.Kind);
        Assert.Equal(2, info.HeaderLength);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("legacy frame type 0", "07 00 000000")]
    [InlineData("legacy frame type 6", "67 00 000000")]
    [InlineData("legacy codec id 0", "10 00")]
    [InlineData("legacy codec id 1 (JPEG)", "11 00")]
    [InlineData("legacy codec id 8", "18 00")]
    [InlineData("legacy codec id 13", "1D 00")]
    [InlineData("legacy AVC without composition time", "17 01 0000")]
    [InlineData("legacy AVC without packet type", "17")]
    [InlineData("legacy AVC packet type 3", "17 03 000000")]
    [InlineData("legacy HEVC too short", "1C 00")]
    [InlineData("enhanced frame type 0", "80 68766331")]
    [InlineData("enhanced frame type 6", "E0 68766331")]
    [InlineData("enhanced frame type 7", "F0 68766331")]
    [InlineData("enhanced FourCC truncated", "90 687663")]
    [InlineData("enhanced FourCC missing", "90")]
    [InlineData("enhanced hvc1 CodedFrames without composition time", "91 68766331 0000")]
    [InlineData("enhanced avc1 CodedFrames without composition time", "91 61766331")]
    [InlineData("enhanced packet type 8", "98 68766331")]
    [InlineData("enhanced packet type 15", "9F 68766331")]
    [InlineData("ModEx size missing", "97")]
    [InlineData("ModEx data truncated", "97 05 AABB")]
    [InlineData("ModEx next type missing", "97 00 AB")]
    [InlineData("ModEx 16-bit size truncated", "97 FF 01")]
    [InlineData("ModEx then FourCC truncated", "97 00 AB 00 6876")]
    [InlineData("ModEx then reserved packet type", "97 00 AB 0A 68766331")]
    [InlineData("nine ModEx modifiers", "97 00AA07 00AA07 00AA07 00AA07 00AA07 00AA07 00AA07 00AA07 00AA00 68766331")]
    [InlineData("command frame without command", "D1")]
    [InlineData("multitrack type missing", "96")]
    [InlineData("multitrack FourCC truncated", "96 03 6876")]
    public void Rejects(string name, string hex)
    {
        Assert.False(VideoTagInfo.TryParse(Hex.Bytes(hex), out var info), name);
        Assert.Equal(0, info.HeaderLength);
    }

    private static VideoTagInfo Parse(string hex)
    {
        Assert.True(VideoTagInfo.TryParse(Hex.Bytes(hex), out var info));
        return info;
    }
}
