namespace Appliance.Codecs.Fmp4;

/// <summary>
/// Writes a CMAF header (ISO/IEC 23000-19): ftyp, then a moov with mvhd, one trak per
/// track with an empty sample table, and an mvex with one trex per track, announcing that every
/// sample comes in movie fragments. One track per init is what DASH (one AdaptationSet per
/// media type) and per-track CMAF HLS playlists want; two tracks (video and audio) also work.
/// </summary>
/// <remarks>
/// Written once per configuration, so <see cref="Create"/> may allocate; the span overloads do
/// not. All durations are 0: a live presentation has none, and the fragments carry the timing.
/// </remarks>
public static class Fmp4InitSegment
{
    /// <summary>More tracks than anyone muxes into one init; the bound keeps every size an int.</summary>
    public const int MaxTracks = 8;

    // major_brand, minor_version, and iso6 + cmfc as compatible brands.
    private const int FtypFixedLength = 16;

    // creation/modification time, timescale, duration (4 each), rate(4) volume(2) reserved(10)
    // matrix(36) pre_defined(24) next_track_ID(4).
    private const int MvhdFieldsLength = 96;

    // track_ID, default_sample_description_index, _duration, _size, _flags.
    private const int TrexFieldsLength = 20;

    // The movie timescale only scales the (zero) movie duration; 1000 is the usual choice.
    private const uint MovieTimescale = 1000;

    /// <summary>The bytes <see cref="Write"/> needs for these tracks.</summary>
    /// <exception cref="ArgumentException">No track, more than <see cref="MaxTracks"/>, a null one, or two with the same id.</exception>
    public static int Measure(params ReadOnlySpan<Fmp4Track> tracks)
    {
        Validate(tracks);
        return MeasureFtyp(tracks) + MeasureMoov(tracks);
    }

    /// <summary>Writes ftyp and moov into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">As <see cref="Measure"/>, or the destination is too short.</exception>
    public static int Write(Span<byte> destination, params ReadOnlySpan<Fmp4Track> tracks)
    {
        var total = Measure(tracks);
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; this init segment needs {total}.", nameof(destination));
        }
        var writer = new BoxWriter(destination);
        WriteFtyp(ref writer, tracks);
        WriteMoov(ref writer, tracks);
        return writer.Position;
    }

    /// <summary>The init segment as a new array.</summary>
    public static byte[] Create(params ReadOnlySpan<Fmp4Track> tracks)
    {
        var bytes = new byte[Measure(tracks)];
        Write(bytes, tracks);
        return bytes;
    }

    private static void Validate(ReadOnlySpan<Fmp4Track> tracks)
    {
        if (tracks.IsEmpty)
        {
            throw new ArgumentException("An init segment needs at least one track.", nameof(tracks));
        }
        if (tracks.Length > MaxTracks)
        {
            throw new ArgumentException($"An init segment holds at most {MaxTracks} tracks, not {tracks.Length}.", nameof(tracks));
        }
        for (var i = 0; i < tracks.Length; i++)
        {
            if (tracks[i] is null)
            {
                throw new ArgumentException($"Track {i} is null.", nameof(tracks));
            }
            for (var j = 0; j < i; j++)
            {
                if (tracks[j].TrackId == tracks[i].TrackId)
                {
                    throw new ArgumentException($"Two tracks have the id {tracks[i].TrackId}.", nameof(tracks));
                }
            }
        }
    }

    // CMAF: a CMAF header's ftyp lists 'cmfc'; we also make it the major brand, so a reader
    // knows at the first box that this is CMAF. 'iso6' is the ISOBMFF edition that has everything
    // the fragments use (tfdt version 1, trun version 1 with signed composition offsets, styp).
    // 'avc1' is the brand ISO/IEC 14496-15 gives AVC files, and ffmpeg and GPAC list it; HEVC and
    // AAC have no such file brand, and the CMAF media profile brands (cfhd, chh1, caac...) would
    // promise profile and level limits the encoder, not we, decides.
    private static int MeasureFtyp(ReadOnlySpan<Fmp4Track> tracks) =>
        BoxWriter.Box(FtypFixedLength + (HasAvc(tracks) ? 4 : 0));

    private static void WriteFtyp(ref BoxWriter writer, scoped ReadOnlySpan<Fmp4Track> tracks)
    {
        var size = MeasureFtyp(tracks);
        var start = writer.Begin("ftyp"u8, size);
        writer.FourCc("cmfc"u8);
        writer.U32(0);  // minor_version
        writer.FourCc("iso6"u8);
        writer.FourCc("cmfc"u8);
        if (HasAvc(tracks))
        {
            writer.FourCc("avc1"u8);
        }
        writer.End(start, size, "ftyp"u8);
    }

    private static bool HasAvc(ReadOnlySpan<Fmp4Track> tracks)
    {
        foreach (var track in tracks)
        {
            if (track.Codec == Fmp4Codec.Avc)
            {
                return true;
            }
        }
        return false;
    }

    private static int MeasureMoov(ReadOnlySpan<Fmp4Track> tracks)
    {
        var traks = 0;
        foreach (var track in tracks)
        {
            traks += TrackBox.Measure(track);
        }
        return BoxWriter.Box(BoxWriter.FullBox(MvhdFieldsLength) + traks + MeasureMvex(tracks.Length));
    }

    private static void WriteMoov(ref BoxWriter writer, scoped ReadOnlySpan<Fmp4Track> tracks)
    {
        var size = MeasureMoov(tracks);
        var start = writer.Begin("moov"u8, size);
        WriteMvhd(ref writer, tracks);
        foreach (var track in tracks)
        {
            TrackBox.Write(ref writer, track);
        }
        WriteMvex(ref writer, tracks);
        writer.End(start, size, "moov"u8);
    }

    private static void WriteMvhd(ref BoxWriter writer, scoped ReadOnlySpan<Fmp4Track> tracks)
    {
        var size = BoxWriter.FullBox(MvhdFieldsLength);
        var start = writer.BeginFull("mvhd"u8, size, version: 0, flags: 0);
        writer.U32(0);  // creation_time
        writer.U32(0);  // modification_time
        writer.U32(MovieTimescale);
        writer.U32(0);  // duration
        writer.U32(0x0001_0000);  // rate 1.0
        writer.U16(0x0100);  // volume 1.0
        writer.Zeros(10);  // reserved
        TrackBox.WriteUnityMatrix(ref writer);
        writer.Zeros(24);  // pre_defined
        writer.U32(NextTrackId(tracks));
        writer.End(start, size, "mvhd"u8);
    }

    // One above the largest id; all ones when that is already taken (14496-12 8.2.2.3).
    private static uint NextTrackId(ReadOnlySpan<Fmp4Track> tracks)
    {
        uint max = 0;
        foreach (var track in tracks)
        {
            max = Math.Max(max, track.TrackId);
        }
        return max == uint.MaxValue ? uint.MaxValue : max + 1;
    }

    private static int MeasureMvex(int trackCount) => BoxWriter.Box(trackCount * BoxWriter.FullBox(TrexFieldsLength));

    private static void WriteMvex(ref BoxWriter writer, scoped ReadOnlySpan<Fmp4Track> tracks)
    {
        var size = MeasureMvex(tracks.Length);
        var start = writer.Begin("mvex"u8, size);
        foreach (var track in tracks)
        {
            var trexSize = BoxWriter.FullBox(TrexFieldsLength);
            var trexStart = writer.BeginFull("trex"u8, trexSize, version: 0, flags: 0);
            writer.U32(track.TrackId);
            writer.U32(1);  // default_sample_description_index: the one stsd entry
            writer.U32(0);  // default_sample_duration: every trun says
            writer.U32(0);  // default_sample_size: every trun says
            writer.U32(Fmp4SampleFlags.Default(track.Kind));
            writer.End(trexStart, trexSize, "trex"u8);
        }
        writer.End(start, size, "mvex"u8);
    }
}
