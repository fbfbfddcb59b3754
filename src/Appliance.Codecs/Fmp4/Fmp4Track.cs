using System.Diagnostics.CodeAnalysis;
using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Hevc;

namespace Appliance.Codecs.Fmp4;

/// <summary>
/// One CMAF track: what its init segment says and what its fragments need. Built once per
/// sequence header from the configuration record exactly as the FLV tag carries it
/// (AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord or AudioSpecificConfig); the
/// record is copied (the only allocation) and goes into avcC, hvcC or esds unchanged.
/// </summary>
public sealed class Fmp4Track
{
    /// <summary>90 kHz: the MPEG clock, so FLV milliseconds and TS timestamps convert exactly.</summary>
    public const uint DefaultVideoTimescale = 90_000;

    /// <summary>The longest configuration record accepted; real ones are tens to hundreds of bytes.</summary>
    public const int MaxConfigurationLength = 64 * 1024;

    private const int HevcLengthSizeIndex = HevcDecoderConfigurationRecord.FixedLength - 1;

    private Fmp4Track(uint trackId, Fmp4Codec codec, uint timescale, byte[] configuration)
    {
        TrackId = trackId;
        Codec = codec;
        Timescale = timescale;
        Configuration = configuration;
    }

    /// <summary>The track_ID of tkhd, trex and every tfhd; never 0.</summary>
    public uint TrackId { get; }

    public Fmp4Codec Codec { get; }

    public Fmp4TrackKind Kind => Codec == Fmp4Codec.Aac ? Fmp4TrackKind.Audio : Fmp4TrackKind.Video;

    /// <summary>Units per second of every duration, decode time and composition offset of the track.</summary>
    public uint Timescale { get; }

    /// <summary>Picture size from the SPS, after cropping (video; 0 for audio).</summary>
    public int Width { get; private init; }

    public int Height { get; private init; }

    /// <summary>The AudioSpecificConfig's output rate, which is also the timescale (audio; 0 for video).</summary>
    public int SampleRate { get; private init; }

    /// <summary>
    /// The channel count the sample entry declares: the config's, or 2 when a program config
    /// element gives the layout (channel_configuration 0). 0 for video.
    /// </summary>
    public int Channels { get; private init; }

    /// <summary>The configuration record as it came, written unchanged into the sample entry.</summary>
    public ReadOnlyMemory<byte> Configuration { get; }

    /// <summary>
    /// An H.264 track; false with <paramref name="problem"/> naming the record and its fault when
    /// the record is malformed, has no PPS, or its SPS gives no picture size.
    /// </summary>
    public static bool TryCreateAvc(uint trackId, ReadOnlySpan<byte> record, [NotNullWhen(true)] out Fmp4Track? track, out string problem, uint timescale = DefaultVideoTimescale)
    {
        CheckArguments(trackId, timescale);
        track = null;
        const string name = "the AVCDecoderConfigurationRecord";
        if (!CheckLength(record, name, out problem))
        {
            return false;
        }
        if (!AvcDecoderConfigurationRecord.TryParse(record, out var config, out var fault) || config is null)
        {
            problem = $"{name} {fault}";
            return false;
        }
        if (config.Pps.Count == 0)
        {
            problem = $"{name} has no PPS";
            return false;
        }
        if (!H264Sps.TryParseResolution(config.Sps[0], out var width, out var height))
        {
            problem = $"{name} has an SPS whose picture size cannot be read";
            return false;
        }
        track = new Fmp4Track(trackId, Fmp4Codec.Avc, timescale, record.ToArray()) { Width = width, Height = height };
        return true;
    }

    /// <summary>
    /// An H.265 track for an hvc1 sample entry, so the record must hold a VPS, an SPS and a PPS
    /// (hvc1 means parameter sets out of band). False with <paramref name="problem"/> when it is
    /// truncated, declares 3-byte NAL lengths, lacks one of the three, or its SPS gives no size.
    /// </summary>
    public static bool TryCreateHevc(uint trackId, ReadOnlySpan<byte> record, [NotNullWhen(true)] out Fmp4Track? track, out string problem, uint timescale = DefaultVideoTimescale)
    {
        CheckArguments(trackId, timescale);
        track = null;
        const string name = "the HEVCDecoderConfigurationRecord";
        if (!CheckLength(record, name, out problem))
        {
            return false;
        }
        if (record.Length <= HevcDecoderConfigurationRecord.FixedLength)
        {
            problem = $"{name} is truncated ({record.Length} bytes; the fixed part alone is {HevcDecoderConfigurationRecord.FixedLength + 1})";
            return false;
        }
        if ((record[HevcLengthSizeIndex] & 0x03) == 2)
        {
            problem = $"{name} declares NAL lengths of 3 bytes (only 1, 2 or 4 exist)";
            return false;
        }
        var reader = new HevcNalArrayReader(record);
        while (reader.TryReadNext(out _, out _))
        {
        }
        if (reader.Failed)
        {
            problem = $"{name} is truncated in its NAL unit arrays";
            return false;
        }
        if (!HasUnit(record, HevcDecoderConfigurationRecord.NalTypeVps, "VPS", name, out problem)
            || !HasUnit(record, HevcDecoderConfigurationRecord.NalTypeSps, "SPS", name, out problem)
            || !HasUnit(record, HevcDecoderConfigurationRecord.NalTypePps, "PPS", name, out problem))
        {
            return false;
        }
        if (!HevcDecoderConfigurationRecord.TryParseResolution(record, out var width, out var height))
        {
            problem = $"{name} has an SPS whose picture size cannot be read";
            return false;
        }
        track = new Fmp4Track(trackId, Fmp4Codec.Hevc, timescale, record.ToArray()) { Width = width, Height = height };
        return true;
    }

    /// <summary>
    /// An AAC track whose timescale is the sample rate the AudioSpecificConfig gives (the output
    /// rate for explicitly signalled HE-AAC). False with <paramref name="problem"/> when the config
    /// is truncated or uses a reserved value.
    /// </summary>
    public static bool TryCreateAac(uint trackId, ReadOnlySpan<byte> audioSpecificConfig, [NotNullWhen(true)] out Fmp4Track? track, out string problem)
    {
        CheckArguments(trackId, timescale: 1);
        track = null;
        const string name = "the AudioSpecificConfig";
        if (!CheckLength(audioSpecificConfig, name, out problem))
        {
            return false;
        }
        if (!AudioSpecificConfig.TryParse(audioSpecificConfig, out var config))
        {
            problem = $"{name} is truncated or uses a reserved value";
            return false;
        }
        track = new Fmp4Track(trackId, Fmp4Codec.Aac, (uint)config.SampleRate, audioSpecificConfig.ToArray())
        {
            SampleRate = config.SampleRate,
            Channels = config.Channels == 0 ? 2 : config.Channels,
        };
        return true;
    }

    private static void CheckArguments(uint trackId, uint timescale)
    {
        // ISO/IEC 14496-12 8.3.2.3: track_ID 0 is never valid.
        ArgumentOutOfRangeException.ThrowIfZero(trackId);
        ArgumentOutOfRangeException.ThrowIfZero(timescale);
    }

    private static bool CheckLength(ReadOnlySpan<byte> record, string name, out string problem)
    {
        problem = record.IsEmpty ? $"{name} is empty"
            : record.Length > MaxConfigurationLength ? $"{name} is {record.Length} bytes, over the {MaxConfigurationLength}-byte limit"
            : "";
        return problem.Length == 0;
    }

    private static bool HasUnit(ReadOnlySpan<byte> record, int nalType, string kind, string name, out string problem)
    {
        var found = HevcDecoderConfigurationRecord.TryFindNalUnit(record, nalType, out _);
        problem = found ? "" : $"{name} has no {kind}";
        return found;
    }
}
