namespace Appliance.Codecs.MpegTs;

/// <summary>The PMT stream_type values we mux and demux (ISO/IEC 13818-1, table 2-34).</summary>
public enum TsStreamType : byte
{
    /// <summary>AAC in ADTS framing (ISO/IEC 13818-7).</summary>
    AacAdts = 0x0F,
    H264 = 0x1B,
    H265 = 0x24,
}
