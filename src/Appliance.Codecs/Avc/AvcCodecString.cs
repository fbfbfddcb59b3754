namespace Appliance.Codecs.Avc;

/// <summary>
/// The RFC 6381 codecs parameter of an H.264 track in an MP4/CMAF sample entry 'avc1':
/// "avc1.PPCCLL", the profile_idc, the byte of constraint_set flags and the level_idc of the
/// AVCDecoderConfigurationRecord, in lowercase hex as ffmpeg writes them ("avc1.64001f").
/// </summary>
public static class AvcCodecString
{
    /// <summary>
    /// False when the record is refused by <see cref="AvcDecoderConfigurationRecord.TryParse(ReadOnlySpan{byte}, out AvcConfig?, out string)"/>
    /// or declares profile_idc 0 (no such profile), and then <paramref name="problem"/> says why.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> record, out string codecs, out string problem)
    {
        codecs = "";
        if (!AvcDecoderConfigurationRecord.TryParse(record, out var config, out problem) || config is null)
        {
            return false;
        }
        if (config.Profile == 0)
        {
            problem = "declares profile_idc 0 (no such profile)";
            return false;
        }
        codecs = Create(config);
        return true;
    }

    /// <summary>The string for a record already parsed.</summary>
    public static string Create(AvcConfig config) =>
        string.Create(null, stackalloc char[11], $"avc1.{config.Profile:x2}{config.Compatibility:x2}{config.Level:x2}");
}
