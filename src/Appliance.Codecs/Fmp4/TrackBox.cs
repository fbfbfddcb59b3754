namespace Appliance.Codecs.Fmp4;

/// <summary>
/// One trak of an init segment: tkhd, then mdia with mdhd, hdlr and minf (media header,
/// self-contained data reference, and a sample table whose only entry is the sample
/// description; the counts are zero because the samples are in the fragments).
/// </summary>
internal static class TrackBox
{
    // Track enabled | in movie (14496-12 8.3.2.3).
    private const uint TkhdFlags = 0x000003;

    // creation/modification time, track_ID, reserved, duration (4 each), reserved(8) layer(2)
    // alternate_group(2) volume(2) reserved(2) matrix(36) width(4) height(4).
    private const int TkhdFieldsLength = 80;

    // creation/modification time, timescale, duration (4 each), language(2) pre_defined(2).
    private const int MdhdFieldsLength = 20;

    // pre_defined(4) handler_type(4) reserved(12), then the NUL-terminated name.
    private const int HdlrFixedLength = 20;

    // "und" packed as three 5-bit letters minus 0x60 (14496-12 8.4.2.3).
    private const ushort LanguageUndetermined = (('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60);

    private const int VmhdLength = 20;
    private const int SmhdLength = 16;

    // dinf > dref (one entry) > 'url ' with flag 1: the media is in this file.
    private const int UrlLength = 12;
    private const int DrefLength = 12 + 4 + UrlLength;
    private const int DinfLength = 8 + DrefLength;

    // stts, stsc and stco are a FullBox with entry_count 0; stsz has sample_size and sample_count.
    private const int EmptyTableLength = 16;
    private const int EmptyStszLength = 20;

    private static ReadOnlySpan<byte> VideoHandlerName => "VideoHandler\0"u8;

    private static ReadOnlySpan<byte> SoundHandlerName => "SoundHandler\0"u8;

    public static int Measure(Fmp4Track track) => BoxWriter.Box(BoxWriter.FullBox(TkhdFieldsLength) + MeasureMdia(track));

    public static void Write(ref BoxWriter writer, Fmp4Track track)
    {
        var size = Measure(track);
        var start = writer.Begin("trak"u8, size);
        WriteTkhd(ref writer, track);
        WriteMdia(ref writer, track);
        writer.End(start, size, "trak"u8);
    }

    /// <summary>The identity transform, { 1, 0, 0, 0, 1, 0, 0, 0, 1 } in 16.16 and 2.30 fixed point.</summary>
    public static void WriteUnityMatrix(ref BoxWriter writer)
    {
        writer.U32(0x0001_0000);
        writer.Zeros(12);
        writer.U32(0x0001_0000);
        writer.Zeros(12);
        writer.U32(0x4000_0000);
    }

    private static void WriteTkhd(ref BoxWriter writer, Fmp4Track track)
    {
        var size = BoxWriter.FullBox(TkhdFieldsLength);
        var start = writer.BeginFull("tkhd"u8, size, version: 0, TkhdFlags);
        writer.U32(0);  // creation_time
        writer.U32(0);  // modification_time
        writer.U32(track.TrackId);
        writer.U32(0);  // reserved
        writer.U32(0);  // duration
        writer.Zeros(8);  // reserved
        writer.U16(0);  // layer
        writer.U16(0);  // alternate_group
        writer.U16(track.Kind == Fmp4TrackKind.Audio ? (ushort)0x0100 : (ushort)0);  // volume: 1.0 for audio
        writer.U16(0);  // reserved
        WriteUnityMatrix(ref writer);
        writer.U32((uint)track.Width << 16);  // 16.16
        writer.U32((uint)track.Height << 16);
        writer.End(start, size, "tkhd"u8);
    }

    private static int MeasureMdia(Fmp4Track track) =>
        BoxWriter.Box(BoxWriter.FullBox(MdhdFieldsLength) + MeasureHdlr(track) + MeasureMinf(track));

    private static void WriteMdia(ref BoxWriter writer, Fmp4Track track)
    {
        var size = MeasureMdia(track);
        var start = writer.Begin("mdia"u8, size);

        var mdhdSize = BoxWriter.FullBox(MdhdFieldsLength);
        var mdhdStart = writer.BeginFull("mdhd"u8, mdhdSize, version: 0, flags: 0);
        writer.U32(0);  // creation_time
        writer.U32(0);  // modification_time
        writer.U32(track.Timescale);
        writer.U32(0);  // duration
        writer.U16(LanguageUndetermined);
        writer.U16(0);  // pre_defined
        writer.End(mdhdStart, mdhdSize, "mdhd"u8);

        var hdlrSize = MeasureHdlr(track);
        var hdlrStart = writer.BeginFull("hdlr"u8, hdlrSize, version: 0, flags: 0);
        writer.U32(0);  // pre_defined
        writer.FourCc(track.Kind == Fmp4TrackKind.Audio ? "soun"u8 : "vide"u8);
        writer.Zeros(12);  // reserved
        writer.Bytes(HandlerName(track));
        writer.End(hdlrStart, hdlrSize, "hdlr"u8);

        WriteMinf(ref writer, track);
        writer.End(start, size, "mdia"u8);
    }

    private static ReadOnlySpan<byte> HandlerName(Fmp4Track track) =>
        track.Kind == Fmp4TrackKind.Audio ? SoundHandlerName : VideoHandlerName;

    private static int MeasureHdlr(Fmp4Track track) => BoxWriter.FullBox(HdlrFixedLength + HandlerName(track).Length);

    private static int MeasureMinf(Fmp4Track track) =>
        BoxWriter.Box((track.Kind == Fmp4TrackKind.Audio ? SmhdLength : VmhdLength) + DinfLength + MeasureStbl(track));

    private static void WriteMinf(ref BoxWriter writer, Fmp4Track track)
    {
        var size = MeasureMinf(track);
        var start = writer.Begin("minf"u8, size);
        if (track.Kind == Fmp4TrackKind.Audio)
        {
            var smhdStart = writer.BeginFull("smhd"u8, SmhdLength, version: 0, flags: 0);
            writer.U16(0);  // balance: centre
            writer.U16(0);  // reserved
            writer.End(smhdStart, SmhdLength, "smhd"u8);
        }
        else
        {
            // Flag 1 is required on vmhd (14496-12 12.1.2.2).
            var vmhdStart = writer.BeginFull("vmhd"u8, VmhdLength, version: 0, flags: 1);
            writer.U16(0);  // graphicsmode: copy
            writer.Zeros(6);  // opcolor
            writer.End(vmhdStart, VmhdLength, "vmhd"u8);
        }

        var dinfStart = writer.Begin("dinf"u8, DinfLength);
        var drefStart = writer.BeginFull("dref"u8, DrefLength, version: 0, flags: 0);
        writer.U32(1);  // entry_count
        var urlStart = writer.BeginFull("url "u8, UrlLength, version: 0, flags: 1);
        writer.End(urlStart, UrlLength, "url "u8);
        writer.End(drefStart, DrefLength, "dref"u8);
        writer.End(dinfStart, DinfLength, "dinf"u8);

        WriteStbl(ref writer, track);
        writer.End(start, size, "minf"u8);
    }

    private static int MeasureStbl(Fmp4Track track) =>
        BoxWriter.Box(BoxWriter.FullBox(4 + SampleEntry.Measure(track)) + (3 * EmptyTableLength) + EmptyStszLength);

    private static void WriteStbl(ref BoxWriter writer, Fmp4Track track)
    {
        var size = MeasureStbl(track);
        var start = writer.Begin("stbl"u8, size);

        var stsdSize = BoxWriter.FullBox(4 + SampleEntry.Measure(track));
        var stsdStart = writer.BeginFull("stsd"u8, stsdSize, version: 0, flags: 0);
        writer.U32(1);  // entry_count
        SampleEntry.Write(ref writer, track);
        writer.End(stsdStart, stsdSize, "stsd"u8);

        WriteEmptyTable(ref writer, "stts"u8);
        WriteEmptyTable(ref writer, "stsc"u8);
        var stszStart = writer.BeginFull("stsz"u8, EmptyStszLength, version: 0, flags: 0);
        writer.U32(0);  // sample_size
        writer.U32(0);  // sample_count
        writer.End(stszStart, EmptyStszLength, "stsz"u8);
        WriteEmptyTable(ref writer, "stco"u8);

        writer.End(start, size, "stbl"u8);
    }

    private static void WriteEmptyTable(ref BoxWriter writer, ReadOnlySpan<byte> type)
    {
        var start = writer.BeginFull(type, EmptyTableLength, version: 0, flags: 0);
        writer.U32(0);  // entry_count
        writer.End(start, EmptyTableLength, type);
    }
}
