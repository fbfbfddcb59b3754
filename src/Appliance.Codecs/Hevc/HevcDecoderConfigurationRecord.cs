namespace Appliance.Codecs.Hevc;

/// <summary>Reads the 'hvcC' record (ISO/IEC 14496-15, 8.3.3.1) carried by an HEVC sequence header.</summary>
public static class HevcDecoderConfigurationRecord
{
    /// <summary>Bytes before numOfArrays: version, profile/tier/level, and the fixed capability fields.</summary>
    public const int FixedLength = 22;

    public const int NalTypeVps = 32;
    public const int NalTypeSps = 33;
    public const int NalTypePps = 34;

    /// <summary>Finds the first SPS in the record and reads its picture size after the conformance window.</summary>
    public static bool TryParseResolution(ReadOnlySpan<byte> record, out int width, out int height)
    {
        width = 0;
        height = 0;
        return TryFindNalUnit(record, NalTypeSps, out var sps) && HevcSps.TryParseResolution(sps, out width, out height);
    }

    /// <summary>
    /// The first non-empty NAL unit of <paramref name="nalType"/> in the record's arrays. False when
    /// there is none or the record is truncated before it is found.
    /// </summary>
    public static bool TryFindNalUnit(ReadOnlySpan<byte> record, int nalType, out ReadOnlySpan<byte> nal)
    {
        var reader = new HevcNalArrayReader(record);
        while (reader.TryReadNext(out var arrayType, out nal))
        {
            if (arrayType == nalType && nal.Length > 0)
            {
                return true;
            }
        }
        nal = default;
        return false;
    }
}
