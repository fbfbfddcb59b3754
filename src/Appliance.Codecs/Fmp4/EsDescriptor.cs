namespace Appliance.Codecs.Fmp4;

/// <summary>
/// The esds box of an mp4a sample entry (ISO/IEC 14496-14 5.6): an ES_Descriptor holding a
/// DecoderConfigDescriptor (MPEG-4 audio) with the AudioSpecificConfig as its DecSpecificInfo,
/// and the SLConfigDescriptor that MP4 files must carry (ISO/IEC 14496-1).
/// </summary>
internal static class EsDescriptor
{
    private const byte EsDescrTag = 0x03;
    private const byte DecoderConfigDescrTag = 0x04;
    private const byte DecSpecificInfoTag = 0x05;
    private const byte SlConfigDescrTag = 0x06;

    private const byte ObjectTypeMpeg4Audio = 0x40;

    // streamType 5 (audio) in the top six bits, upStream 0, reserved 1.
    private const byte StreamTypeAudio = (0x05 << 2) | 0x01;

    // Predefined 2: "reserved for use in MP4 files" (ISO/IEC 14496-14 3.1.2).
    private const byte SlPredefinedMp4 = 0x02;

    // objectTypeIndication(1) streamType(1) bufferSizeDB(3) maxBitrate(4) avgBitrate(4).
    private const int DecoderConfigFieldsLength = 13;

    // ES_ID(2) and the flags byte (no dependence, URL or OCR stream).
    private const int EsFieldsLength = 3;

    private const int SlConfigLength = 3;

    // A descriptor length is 7 bits per byte, high bit "more follows"; four bytes at most.
    private const int MaxDescriptorLength = (1 << 28) - 1;

    public static int MeasureBox(int audioSpecificConfigLength) => BoxWriter.FullBox(Descriptor(EsContentLength(audioSpecificConfigLength)));

    public static void WriteBox(ref BoxWriter writer, ReadOnlySpan<byte> audioSpecificConfig)
    {
        var size = MeasureBox(audioSpecificConfig.Length);
        var start = writer.BeginFull("esds"u8, size, version: 0, flags: 0);

        WriteHeader(ref writer, EsDescrTag, EsContentLength(audioSpecificConfig.Length));
        // ES_ID 0 "as stored" (ISO/IEC 14496-14 3.1.2); the track_ID identifies the stream.
        writer.U16(0);
        writer.U8(0);

        WriteHeader(ref writer, DecoderConfigDescrTag, DecoderConfigContentLength(audioSpecificConfig.Length));
        writer.U8(ObjectTypeMpeg4Audio);
        writer.U8(StreamTypeAudio);
        // bufferSizeDB, maxBitrate and avgBitrate: unknown for a live stream; 0 says so.
        writer.Zeros(3 + 4 + 4);

        WriteHeader(ref writer, DecSpecificInfoTag, audioSpecificConfig.Length);
        writer.Bytes(audioSpecificConfig);

        WriteHeader(ref writer, SlConfigDescrTag, 1);
        writer.U8(SlPredefinedMp4);
        writer.End(start, size, "esds"u8);
    }

    private static int DecoderConfigContentLength(int ascLength) => DecoderConfigFieldsLength + Descriptor(ascLength);

    private static int EsContentLength(int ascLength) => EsFieldsLength + Descriptor(DecoderConfigContentLength(ascLength)) + SlConfigLength;

    private static int Descriptor(int contentLength) => 1 + LengthFieldSize(contentLength) + contentLength;

    // The shortest encoding; readers accept any, and the 0x80-padded four-byte form some muxers
    // write only costs bytes.
    private static int LengthFieldSize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxDescriptorLength);
        return length < 1 << 7 ? 1 : length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : 4;
    }

    private static void WriteHeader(ref BoxWriter writer, byte tag, int length)
    {
        writer.U8(tag);
        for (var shift = 7 * (LengthFieldSize(length) - 1); shift > 0; shift -= 7)
        {
            writer.U8((byte)(0x80 | ((length >> shift) & 0x7F)));
        }
        writer.U8((byte)(length & 0x7F));
    }
}
