using System.Buffers;
using Appliance.Codecs.Amf0;

namespace Appliance.Tests.Support;

/// <summary>FLV/RTMP audio, video and script payloads as an encoder sends them.</summary>
internal static class Payloads
{
    // An AVCDecoderConfigurationRecord (High profile, level 3.1): one SPS of a 1280x720 stream, one PPS.
    private static readonly byte[] AvcConfig =
    [
        0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x1A,
        0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40, 0x50, 0x05, 0xBB, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00,
        0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xF1, 0x83, 0x19, 0x60,
        0x01, 0x00, 0x06, 0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0,
    ];

    public static byte[] AvcSequenceHeader() => [0x17, 0x00, 0x00, 0x00, 0x00, .. AvcConfig];

    public static byte[] AvcKeyFrame(int size = 64, byte seed = 1) => Video(0x17, size, seed);

    public static byte[] AvcInterFrame(int size = 32, byte seed = 2) => Video(0x27, size, seed);

    public static byte[] AacSequenceHeader() => [0xAF, 0x00, 0x12, 0x10];

    public static byte[] AacRaw(int size = 16, byte seed = 3)
    {
        var bytes = new byte[size];
        bytes[0] = 0xAF;
        bytes[1] = 0x01;
        Fill(bytes.AsSpan(2), seed);
        return bytes;
    }

    /// <summary>"onMetaData" and its ECMA array, as stored and sent to players.</summary>
    public static byte[] OnMetaData(double width = 1280, double height = 720)
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteString(writer, "onMetaData");
        Amf0Writer.Write(writer, Amf0Value.EcmaArray(
            Amf0Value.Prop("width", width),
            Amf0Value.Prop("height", height),
            Amf0Value.Prop("videocodecid", 7),
            Amf0Value.Prop("audiocodecid", 10)));
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The metadata as an encoder publishes it: behind "@setDataFrame".</summary>
    public static byte[] SetDataFrame(byte[] onMetaData)
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteString(writer, "@setDataFrame");
        writer.Write(onMetaData);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Video(byte first, int size, byte seed)
    {
        var bytes = new byte[Math.Max(size, 6)];
        bytes[0] = first;
        bytes[1] = 0x01;
        Fill(bytes.AsSpan(5), seed);
        return bytes;
    }

    private static void Fill(Span<byte> span, byte seed)
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (byte)(seed * 31 + i * 7);
        }
    }
}
