namespace Appliance.Codecs.Fmp4;

/// <summary>
/// The one sample description of a track (ISO/IEC 14496-12 12.1.3 and 12.2.3): avc1 + avcC,
/// hvc1 + hvcC (ISO/IEC 14496-15 5.4 and 8.4), or mp4a + esds (ISO/IEC 14496-14 5.6).
/// </summary>
internal static class SampleEntry
{
    // reserved(6) data_reference_index(2) pre_defined/reserved(16) width height(4)
    // horiz/vertresolution(8) reserved(4) frame_count(2) compressorname(32) depth(2) pre_defined(2).
    private const int VisualFieldsLength = 78;

    // reserved(6) data_reference_index(2) reserved(8) channelcount(2) samplesize(2)
    // pre_defined(2) reserved(2) samplerate(4).
    private const int AudioFieldsLength = 28;

    private const uint Dpi72 = 0x0048_0000;
    private const ushort Depth24 = 0x0018;
    private const int CompressorNameLength = 32;
    private const ushort SampleSize16 = 16;

    public static int Measure(Fmp4Track track) => track.Codec switch
    {
        Fmp4Codec.Aac => BoxWriter.Box(AudioFieldsLength + EsDescriptor.MeasureBox(track.Configuration.Length)),
        _ => BoxWriter.Box(VisualFieldsLength + BoxWriter.Box(track.Configuration.Length)),
    };

    public static void Write(ref BoxWriter writer, Fmp4Track track)
    {
        if (track.Kind == Fmp4TrackKind.Audio)
        {
            WriteAudio(ref writer, track);
        }
        else
        {
            WriteVisual(ref writer, track);
        }
    }

    private static void WriteVisual(ref BoxWriter writer, Fmp4Track track)
    {
        // hvc1 rather than hev1: the parameter sets live in hvcC, which is what Apple's players
        // require and what the FLV sequence header gives us.
        var isHevc = track.Codec == Fmp4Codec.Hevc;
        var entryType = isHevc ? "hvc1"u8 : "avc1"u8;
        var configType = isHevc ? "hvcC"u8 : "avcC"u8;
        var size = Measure(track);
        var start = writer.Begin(entryType, size);
        WriteSampleEntryHeader(ref writer);
        writer.Zeros(16);  // pre_defined, reserved, pre_defined[3]
        writer.U16((ushort)track.Width);
        writer.U16((ushort)track.Height);
        writer.U32(Dpi72);
        writer.U32(Dpi72);
        writer.U32(0);  // reserved
        writer.U16(1);  // frame_count
        writer.Zeros(CompressorNameLength);
        writer.U16(Depth24);
        writer.U16(0xFFFF);  // pre_defined = -1

        var configSize = BoxWriter.Box(track.Configuration.Length);
        var configStart = writer.Begin(configType, configSize);
        writer.Bytes(track.Configuration.Span);
        writer.End(configStart, configSize, configType);
        writer.End(start, size, entryType);
    }

    private static void WriteAudio(ref BoxWriter writer, Fmp4Track track)
    {
        var size = Measure(track);
        var start = writer.Begin("mp4a"u8, size);
        WriteSampleEntryHeader(ref writer);
        writer.Zeros(8);  // reserved
        writer.U16((ushort)track.Channels);
        writer.U16(SampleSize16);
        writer.U32(0);  // pre_defined, reserved
        // 16.16 fixed point; a rate above 65535 Hz does not fit and is written as 0, as ffmpeg
        // does: the timescale and the AudioSpecificConfig carry the real rate.
        writer.U32(track.SampleRate <= ushort.MaxValue ? (uint)track.SampleRate << 16 : 0);
        EsDescriptor.WriteBox(ref writer, track.Configuration.Span);
        writer.End(start, size, "mp4a"u8);
    }

    private static void WriteSampleEntryHeader(ref BoxWriter writer)
    {
        writer.Zeros(6);  // reserved
        writer.U16(1);    // data_reference_index: the dref's self-contained url entry
    }
}
