namespace Appliance.Streaming.Media;

/// <summary>What a frame carries; the values equal the FLV tag type and the RTMP message type.</summary>
public enum FrameKind : byte
{
    Audio = 8,
    Video = 9,
    Script = 18,
}

[Flags]
public enum FrameFlags : byte
{
    None = 0,
    KeyFrame = 1,
    SequenceHeader = 2,
    Metadata = 4,
}

/// <summary>The wire formats a frame is serialized into, once each, for all subscribers of that format.</summary>
public enum WireFormat
{
    Rtmp = 0,
    Flv = 1,

    /// <summary>
    /// MPEG-TS packets (HTTP-TS and HLS). Unlike the others they are stateful (continuity
    /// counters, table timing), so the stream's packager builds them in publish order.
    /// </summary>
    Ts = 2,
}
