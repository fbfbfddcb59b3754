namespace Appliance.Codecs.MpegTs;

/// <summary>An elementary stream listed in the PMT. <see cref="StreamType"/> may be a value we do not demux.</summary>
public readonly record struct TsElementaryStream(int Pid, TsStreamType StreamType)
{
    /// <summary>True for H.264, H.265 and AAC ADTS, the types whose PES the demuxer reassembles.</summary>
    public bool IsSupported => StreamType is TsStreamType.H264 or TsStreamType.H265 or TsStreamType.AacAdts;
}
