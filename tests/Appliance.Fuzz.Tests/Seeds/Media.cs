using System.Buffers;
using System.Buffers.Binary;
using Appliance.Codecs.Amf0;
using Appliance.Codecs.Flv;

namespace Appliance.Fuzz.Tests.Seeds;

/// <summary>Codec payloads for seeds: FLV/RTMP audio and video tag bodies, legacy and Enhanced RTMP.</summary>
public static class Media
{
    /// <summary>The AVCDecoderConfigurationRecord ffmpeg 5.1 (libx264, 64x48 Main) wrote.</summary>
    public static readonly byte[] AvcRecord = Convert.FromHexString(
        "014d400affe10017674d400aeca23d8088000003000800000300a078912cb001000468ce0fc8");

    /// <summary>ffmpeg's AAC-LC AudioSpecificConfig (8 kHz mono) with its SBR extension bytes.</summary>
    public static readonly byte[] AacConfig = Convert.FromHexString("158856e500");

    /// <summary>An HEVCDecoderConfigurationRecord: 22 fixed bytes (4-byte lengths), then VPS, SPS and PPS arrays.</summary>
    public static byte[] HevcRecord()
    {
        var record = new List<byte>();
        record.AddRange(Convert.FromHexString("01016000000090000000000078f000fcfdf8f800000f"));
        record.Add(3);
        AddArray(record, 32, Convert.FromHexString("40010c01ffff016000000300900000030000030078959809"));
        AddArray(record, 33, Convert.FromHexString("420101016000000300900000030000030078a00502016965959a4932bc05a02000003002000000300f04"));
        AddArray(record, 34, Convert.FromHexString("4401c172b46240"));
        return [.. record];

        static void AddArray(List<byte> record, int type, byte[] nal)
        {
            record.Add((byte)(0x80 | type));
            record.Add(0);
            record.Add(1);
            record.Add((byte)(nal.Length >> 8));
            record.Add((byte)nal.Length);
            record.AddRange(nal);
        }
    }

    /// <summary>Length-prefixed (4 bytes) NAL units, as FLV carries them.</summary>
    public static byte[] Nals(params byte[][] units)
    {
        var output = new List<byte>();
        foreach (var unit in units)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, unit.Length);
            output.AddRange(length);
            output.AddRange(unit);
        }
        return [.. output];
    }

    public static byte[] AvcIdr => Nals([0x09, 0xF0], Convert.FromHexString("06050fffffffffffffffffffffffffff80"), Convert.FromHexString("65888400337f0fa3e0117a3a8051"));

    public static byte[] AvcInter => Nals(Convert.FromHexString("419a21a0d27100"), Convert.FromHexString("0194e2"));

    public static byte[] HevcIdr => Nals(Convert.FromHexString("2601af1ec3c06b0b9a70"), Convert.FromHexString("0201d0090e3f4b"));

    public static byte[] HevcInter => Nals(Convert.FromHexString("0201d0090e3f4b7c01"));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    // Legacy FLV video: frame type and codec id, AVCPacketType, 24-bit composition time.
    public static byte[] AvcSequenceHeader => Concat([0x17, 0x00, 0, 0, 0], AvcRecord);

    public static byte[] AvcKeyFrame => Concat([0x17, 0x01, 0, 0, 0x50], AvcIdr);

    public static byte[] AvcInterFrame => Concat([0x27, 0x01, 0xFF, 0xFF, 0xD8], AvcInter);

    public static byte[] AvcEndOfSequence => [0x17, 0x02, 0, 0, 0];

    public static byte[] LegacyHevcSequenceHeader => Concat([0x1C, 0x00, 0, 0, 0], HevcRecord());

    public static byte[] LegacyHevcKeyFrame => Concat([0x1C, 0x01, 0, 0, 0x28], HevcIdr);

    // Enhanced RTMP: IsExHeader | FrameType << 4 | PacketType, then the FourCC.
    public static byte[] ExHevcSequenceStart => Concat([0x90], "hvc1"u8.ToArray(), HevcRecord());

    public static byte[] ExHevcCodedFrames => Concat([0x91], "hvc1"u8.ToArray(), [0, 0, 0x28], HevcIdr);

    public static byte[] ExHevcCodedFramesX => Concat([0xA3], "hvc1"u8.ToArray(), HevcInter);

    public static byte[] ExAvcCodedFrames => Concat([0x91], "avc1"u8.ToArray(), [0, 0, 0], AvcIdr);

    public static byte[] ExAv1SequenceStart => Concat([0x90], "av01"u8.ToArray(), [0x81, 0x00, 0x0C, 0x00]);

    public static byte[] ExMetadata => Concat([0x94], "hvc1"u8.ToArray(), Amf0("colorInfo", Amf0Value.Object(Amf0Value.Prop("colorConfig", Amf0Value.Object(Amf0Value.Prop("bitDepth", 8))))));

    public static byte[] ExSequenceEnd => Concat([0x92], "hvc1"u8.ToArray());

    // ModEx (packet type 7): one modifier of size 1 (timestamp offset nanoseconds), then CodedFrames.
    public static byte[] ExModExCodedFrames => Concat([0x97, 0x00, 0x00, 0x01, 0x00, 0x10, 0x01], "hvc1"u8.ToArray(), [0, 0, 0], HevcInter);

    // Multitrack (packet type 6): one track, one codec (type 0), then packet type 1 inside.
    public static byte[] ExMultitrackVideo => Concat([0x96, 0x01], "avc1"u8.ToArray(), [0x00], AvcInter);

    public static byte[] VideoCommandFrame => [0x57, 0x00];

    public static byte[] SorensonFrame => [0x22, 0x00, 0x00, 0x84, 0x00];

    // Legacy audio: SoundFormat 10 (AAC), 44 kHz, 16-bit, stereo, then AACPacketType.
    public static byte[] AacSequenceHeader => Concat([0xAF, 0x00], AacConfig);

    public static byte[] AacRaw => Concat([0xAF, 0x01], Convert.FromHexString("211b944400007015ffe47aff"));

    public static byte[] Mp3Frame => Concat([0x2F], Convert.FromHexString("fffb9064000000000000"));

    // Enhanced audio: SoundFormat 9 | AudioPacketType, then FourCC.
    public static byte[] ExOpusSequenceStart => Concat([0x90], "Opus"u8.ToArray(), "OpusHead"u8.ToArray(), [1, 2, 0x38, 1, 0x80, 0xBB, 0, 0, 0, 0, 0]);

    public static byte[] ExOpusCodedFrames => Concat([0x91], "Opus"u8.ToArray(), [0xFC, 0xFF, 0xFE]);

    public static byte[] ExMultitrackAudio => Concat([0x95, 0x01], "mp4a"u8.ToArray(), [0x00], AacConfig);

    public static byte[] Amf0(params object?[] values)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Amf0Writer.Write(writer, value switch
            {
                Amf0Value v => v,
                string s => Amf0Value.FromString(s),
                double d => Amf0Value.FromNumber(d),
                int i => Amf0Value.FromNumber(i),
                bool b => Amf0Value.FromBoolean(b),
                null => Amf0Value.Null,
                _ => throw new ArgumentException($"no AMF0 form for {value.GetType()}"),
            });
        }
        return writer.WrittenSpan.ToArray();
    }

    public static Amf0Value MetaData => Amf0Value.EcmaArray(
        Amf0Value.Prop("duration", 0.0),
        Amf0Value.Prop("width", 64.0),
        Amf0Value.Prop("height", 48.0),
        Amf0Value.Prop("videodatarate", 0.0),
        Amf0Value.Prop("framerate", 10.0),
        Amf0Value.Prop("videocodecid", 7.0),
        Amf0Value.Prop("audiodatarate", 15.625),
        Amf0Value.Prop("audiosamplerate", 8000.0),
        Amf0Value.Prop("audiosamplesize", 16.0),
        Amf0Value.Prop("stereo", false),
        Amf0Value.Prop("audiocodecid", 10.0),
        Amf0Value.Prop("encoder", "Lavf59.27.100"),
        Amf0Value.Prop("filesize", 0.0));

    /// <summary>(type, timestamp, payload) of a small A/V stream, legacy AVC + AAC.</summary>
    public static IEnumerable<(FlvTagType Type, uint Time, byte[] Payload)> AvcAacTags()
    {
        yield return (FlvTagType.Script, 0, Amf0("onMetaData", MetaData));
        yield return (FlvTagType.Video, 0, AvcSequenceHeader);
        yield return (FlvTagType.Audio, 0, AacSequenceHeader);
        yield return (FlvTagType.Video, 0, AvcKeyFrame);
        yield return (FlvTagType.Audio, 0, AacRaw);
        yield return (FlvTagType.Audio, 23, AacRaw);
        yield return (FlvTagType.Video, 40, AvcInterFrame);
        yield return (FlvTagType.Video, 80, AvcKeyFrame);
        yield return (FlvTagType.Video, 120, AvcEndOfSequence);
    }

    /// <summary>Enhanced RTMP tags: HEVC, AV1, Opus, ModEx, multitrack, metadata, command frames.</summary>
    public static IEnumerable<(FlvTagType Type, uint Time, byte[] Payload)> EnhancedTags()
    {
        yield return (FlvTagType.Video, 0, ExHevcSequenceStart);
        yield return (FlvTagType.Video, 0, ExMetadata);
        yield return (FlvTagType.Audio, 0, ExOpusSequenceStart);
        yield return (FlvTagType.Video, 0, ExHevcCodedFrames);
        yield return (FlvTagType.Audio, 20, ExOpusCodedFrames);
        yield return (FlvTagType.Video, 40, ExHevcCodedFramesX);
        yield return (FlvTagType.Video, 80, ExModExCodedFrames);
        yield return (FlvTagType.Video, 120, ExMultitrackVideo);
        yield return (FlvTagType.Audio, 120, ExMultitrackAudio);
        yield return (FlvTagType.Video, 160, ExAvcCodedFrames);
        yield return (FlvTagType.Video, 200, ExAv1SequenceStart);
        yield return (FlvTagType.Video, 200, VideoCommandFrame);
        yield return (FlvTagType.Video, 240, ExSequenceEnd);
    }

    /// <summary>Legacy HEVC (codec id 12), MP3 and Sorenson tags.</summary>
    public static IEnumerable<(FlvTagType Type, uint Time, byte[] Payload)> OtherTags()
    {
        yield return (FlvTagType.Video, 0, LegacyHevcSequenceHeader);
        yield return (FlvTagType.Video, 0, LegacyHevcKeyFrame);
        yield return (FlvTagType.Audio, 0, Mp3Frame);
        yield return (FlvTagType.Video, 33, SorensonFrame);
        yield return (FlvTagType.Video, 0x01000010, LegacyHevcKeyFrame);
    }

    public static byte[] Flv(IEnumerable<(FlvTagType Type, uint Time, byte[] Payload)> tags, bool hasAudio = true, bool hasVideo = true)
    {
        var output = new List<byte>();
        var header = new byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(header, hasAudio, hasVideo);
        output.AddRange(header);
        foreach (var (type, time, payload) in tags)
        {
            var tag = new byte[FlvWriter.TagLength(payload.Length)];
            FlvWriter.WriteTag(tag, type, time, payload);
            output.AddRange(tag);
        }
        return [.. output];
    }
}
