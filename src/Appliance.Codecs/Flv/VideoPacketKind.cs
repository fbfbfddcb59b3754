namespace Appliance.Codecs.Flv;

public enum VideoPacketKind
{
    /// <summary>Decoder configuration (AVC/HEVC/AV1/VP9 record).</summary>
    SequenceHeader,
    CodedFrames,
    EndOfSequence,

    /// <summary>Enhanced RTMP AMF metadata (for example HDR colour info).</summary>
    Metadata,

    /// <summary>Multitrack, MPEG2-TS sequence start, or a command frame: nothing a single-track path uses.</summary>
    MultitrackOrOther,
}
