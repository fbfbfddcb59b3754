namespace Appliance.Codecs.Fmp4;

/// <summary>The codecs a CMAF track can carry here, each with its sample entry (avc1, hvc1, mp4a).</summary>
public enum Fmp4Codec : byte
{
    Avc,
    Hevc,
    Aac,
}
