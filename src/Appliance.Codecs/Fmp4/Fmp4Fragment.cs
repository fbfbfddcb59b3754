using System.Buffers;

namespace Appliance.Codecs.Fmp4;

/// <summary>
/// Writes one CMAF fragment of one track (an LL-HLS part or CMAF chunk of a few frames, or a whole
/// segment): an optional styp, a moof (mfhd, traf with tfhd, tfdt and one trun), and an mdat
/// holding the samples' bytes in order.
/// </summary>
/// <remarks>
/// <para>
/// The cheap way, and the one the packager should use: <see cref="MeasureHeader"/>, then
/// <see cref="WriteHeader"/> into a small span (moof and the 8-byte mdat header: 96 bytes, 120
/// with styp, plus 8 to 16 per sample), then append each sample's payload as it is, in the order
/// of the samples. Nothing is copied twice and nothing is allocated.
/// <see cref="Write"/> does the same into an <see cref="IBufferWriter{T}"/> for a caller whose
/// payloads are already one sequence.
/// </para>
/// <para>
/// tfhd sets default-base-is-moof and nothing else, so the trun's data_offset (moof size + 8)
/// locates the payload whatever precedes the moof. tfdt is version 1 (64-bit decode time: 90 kHz
/// passes 2^32 after 13 hours). A video trun carries duration, size and flags per sample, and
/// composition offsets (version 1, signed) when any sample has one; an audio trun carries
/// duration and size, the flags coming from trex (every AAC frame is a sync sample).
/// </para>
/// <para>
/// The styp, when asked for (on the fragment that starts a segment), says 'msdh' (a DASH media
/// segment) and 'cmfs' (a CMAF segment). Not 'msix': that promises a sidx, which live
/// segments do not have. Fragments in the middle of a segment (later LL-HLS parts) go without,
/// since a part is only a piece of the segment it belongs to.
/// </para>
/// </remarks>
public static class Fmp4Fragment
{
    /// <summary>Samples in one fragment; far above a 10-second segment of 120 fps video.</summary>
    public const int MaxSamples = 65_535;

    /// <summary>The mdat header at the end of <see cref="WriteHeader"/>'s output: size and type.</summary>
    public const int MdatHeaderLength = 8;

    /// <summary>The styp box: major brand, minor version, two compatible brands.</summary>
    public const int SegmentTypeLength = 24;

    private const uint DefaultBaseIsMoof = 0x02_0000;

    private const uint DataOffsetPresent = 0x000001;
    private const uint SampleDurationPresent = 0x000100;
    private const uint SampleSizePresent = 0x000200;
    private const uint SampleFlagsPresent = 0x000400;
    private const uint SampleCompositionTimeOffsetsPresent = 0x000800;

    private const int MfhdLength = 16;
    private const int TfhdLength = 16;
    private const int TfdtLength = 20;

    // sample_count and data_offset after the FullBox header.
    private const int TrunFixedLength = 8;

    /// <summary>Bytes <see cref="WriteHeader"/> writes for these samples: styp (if asked), moof and the mdat header.</summary>
    /// <exception cref="ArgumentException">See <see cref="WriteHeader"/>.</exception>
    public static int MeasureHeader(Fmp4Track track, ReadOnlySpan<Fmp4Sample> samples, bool withSegmentType = false) =>
        Layout.Of(track, samples, withSegmentType).HeaderLength;

    /// <summary>The sum of the sample sizes: what follows the header, and the mdat's payload.</summary>
    public static long PayloadLength(ReadOnlySpan<Fmp4Sample> samples)
    {
        long total = 0;
        foreach (var sample in samples)
        {
            total += sample.Size;
        }
        return total;
    }

    /// <summary>
    /// Writes styp (if <paramref name="withSegmentType"/>), moof and the mdat header, whose size
    /// counts the payload the caller appends next: each sample's bytes, in order, exactly
    /// <see cref="PayloadLength"/> of them. Returns the bytes written (<see cref="MeasureHeader"/>).
    /// </summary>
    /// <param name="sequenceNumber">mfhd sequence_number: one more for each fragment of the track, from 1.</param>
    /// <param name="baseMediaDecodeTime">Decode time of the first sample, in the track's timescale.</param>
    /// <exception cref="ArgumentException">
    /// No samples or more than <see cref="MaxSamples"/>; a negative size; an audio sample that is
    /// not sync or has a composition offset; a payload too large for a 32-bit mdat size; or a
    /// destination shorter than <see cref="MeasureHeader"/>.
    /// </exception>
    public static int WriteHeader(Span<byte> destination, Fmp4Track track, uint sequenceNumber, ulong baseMediaDecodeTime, ReadOnlySpan<Fmp4Sample> samples, bool withSegmentType = false)
    {
        var layout = Layout.Of(track, samples, withSegmentType);
        if (destination.Length < layout.HeaderLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; this fragment header needs {layout.HeaderLength}.", nameof(destination));
        }
        var writer = new BoxWriter(destination);
        if (withSegmentType)
        {
            var stypStart = writer.Begin("styp"u8, SegmentTypeLength);
            writer.FourCc("msdh"u8);
            writer.U32(0);  // minor_version
            writer.FourCc("msdh"u8);
            writer.FourCc("cmfs"u8);
            writer.End(stypStart, SegmentTypeLength, "styp"u8);
        }
        WriteMoof(ref writer, track, sequenceNumber, baseMediaDecodeTime, samples, layout);
        writer.U32((uint)(MdatHeaderLength + layout.PayloadLength));
        writer.FourCc("mdat"u8);
        return writer.Position;
    }

    /// <summary>
    /// The whole fragment into <paramref name="output"/>: the header as <see cref="WriteHeader"/>,
    /// then <paramref name="payload"/>, the samples' bytes back to back. Returns the bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="WriteHeader"/>, or the payload is not <see cref="PayloadLength"/> bytes.</exception>
    public static long Write(IBufferWriter<byte> output, Fmp4Track track, uint sequenceNumber, ulong baseMediaDecodeTime, ReadOnlySpan<Fmp4Sample> samples, in ReadOnlySequence<byte> payload, bool withSegmentType = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        var layout = Layout.Of(track, samples, withSegmentType);
        if (payload.Length != layout.PayloadLength)
        {
            throw new ArgumentException($"The payload is {payload.Length} bytes; the samples' sizes add up to {layout.PayloadLength}.", nameof(payload));
        }
        var header = WriteHeader(output.GetSpan(layout.HeaderLength), track, sequenceNumber, baseMediaDecodeTime, samples, withSegmentType);
        output.Advance(header);
        foreach (var segment in payload)
        {
            var source = segment.Span;
            while (!source.IsEmpty)
            {
                var target = output.GetSpan(1);
                var count = Math.Min(target.Length, source.Length);
                source[..count].CopyTo(target);
                output.Advance(count);
                source = source[count..];
            }
        }
        return header + layout.PayloadLength;
    }

    private static void WriteMoof(ref BoxWriter writer, Fmp4Track track, uint sequenceNumber, ulong baseMediaDecodeTime, ReadOnlySpan<Fmp4Sample> samples, in Layout layout)
    {
        var moofStart = writer.Begin("moof"u8, layout.MoofLength);

        var mfhdStart = writer.BeginFull("mfhd"u8, MfhdLength, version: 0, flags: 0);
        writer.U32(sequenceNumber);
        writer.End(mfhdStart, MfhdLength, "mfhd"u8);

        var trafLength = BoxWriter.Box(TfhdLength + TfdtLength + layout.TrunLength);
        var trafStart = writer.Begin("traf"u8, trafLength);

        var tfhdStart = writer.BeginFull("tfhd"u8, TfhdLength, version: 0, DefaultBaseIsMoof);
        writer.U32(track.TrackId);
        writer.End(tfhdStart, TfhdLength, "tfhd"u8);

        var tfdtStart = writer.BeginFull("tfdt"u8, TfdtLength, version: 1, flags: 0);
        writer.U64(baseMediaDecodeTime);
        writer.End(tfdtStart, TfdtLength, "tfdt"u8);

        WriteTrun(ref writer, track.Kind, samples, layout);
        writer.End(trafStart, trafLength, "traf"u8);
        writer.End(moofStart, layout.MoofLength, "moof"u8);
    }

    private static void WriteTrun(ref BoxWriter writer, Fmp4TrackKind kind, ReadOnlySpan<Fmp4Sample> samples, in Layout layout)
    {
        var flags = DataOffsetPresent | SampleDurationPresent | SampleSizePresent;
        byte version = 0;
        if (kind == Fmp4TrackKind.Video)
        {
            flags |= SampleFlagsPresent;
            if (layout.HasCompositionOffsets)
            {
                flags |= SampleCompositionTimeOffsetsPresent;
                version = 1;
            }
        }
        var start = writer.BeginFull("trun"u8, layout.TrunLength, version, flags);
        writer.U32((uint)samples.Length);
        // From the moof's first byte (default-base-is-moof) to the first payload byte.
        writer.I32(layout.MoofLength + MdatHeaderLength);
        foreach (var sample in samples)
        {
            writer.U32(sample.Duration);
            writer.U32((uint)sample.Size);
            if (kind == Fmp4TrackKind.Video)
            {
                writer.U32(Fmp4SampleFlags.Of(sample.IsSync));
                if (layout.HasCompositionOffsets)
                {
                    writer.I32(sample.CompositionOffset);
                }
            }
        }
        writer.End(start, layout.TrunLength, "trun"u8);
    }

    /// <summary>The sizes of one fragment, computed (and the samples checked) before anything is written.</summary>
    private readonly record struct Layout(int HeaderLength, int MoofLength, int TrunLength, long PayloadLength, bool HasCompositionOffsets)
    {
        public static Layout Of(Fmp4Track track, ReadOnlySpan<Fmp4Sample> samples, bool withSegmentType)
        {
            ArgumentNullException.ThrowIfNull(track);
            if (samples.IsEmpty)
            {
                throw new ArgumentException("A fragment needs at least one sample.", nameof(samples));
            }
            if (samples.Length > MaxSamples)
            {
                throw new ArgumentException($"A fragment holds at most {MaxSamples} samples, not {samples.Length}.", nameof(samples));
            }
            var isAudio = track.Kind == Fmp4TrackKind.Audio;
            long payload = 0;
            var hasCompositionOffsets = false;
            for (var i = 0; i < samples.Length; i++)
            {
                var sample = samples[i];
                if (sample.Size < 0)
                {
                    throw new ArgumentException($"Sample {i} has a negative size ({sample.Size}).", nameof(samples));
                }
                if (isAudio && sample.CompositionOffset != 0)
                {
                    throw new ArgumentException($"Sample {i} of audio track {track.TrackId} has a composition offset ({sample.CompositionOffset}); only video samples have one.", nameof(samples));
                }
                if (isAudio && !sample.IsSync)
                {
                    throw new ArgumentException($"Sample {i} of audio track {track.TrackId} is not a sync sample; every AAC frame is one.", nameof(samples));
                }
                payload += sample.Size;
                hasCompositionOffsets |= sample.CompositionOffset != 0;
            }
            if (payload > uint.MaxValue - MdatHeaderLength)
            {
                throw new ArgumentException($"The samples add up to {payload} bytes, more than a 32-bit mdat box holds.", nameof(samples));
            }
            var perSample = isAudio ? 8 : hasCompositionOffsets ? 16 : 12;
            var trun = BoxWriter.FullBox(TrunFixedLength + (samples.Length * perSample));
            var moof = BoxWriter.Box(MfhdLength + BoxWriter.Box(TfhdLength + TfdtLength + trun));
            var header = (withSegmentType ? SegmentTypeLength : 0) + moof + MdatHeaderLength;
            return new Layout(header, moof, trun, payload, hasCompositionOffsets);
        }
    }
}
