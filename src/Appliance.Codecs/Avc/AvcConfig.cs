namespace Appliance.Codecs.Avc;

/// <summary>The fields of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.3.3.1) that we use.</summary>
public sealed record AvcConfig(byte Profile, byte Compatibility, byte Level, int NalLengthSize, IReadOnlyList<byte[]> Sps, IReadOnlyList<byte[]> Pps);
