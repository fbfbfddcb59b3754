namespace Appliance.Codecs.MpegTs;

/// <summary>Why the muxer wrote a frame or refused it (or a configuration).</summary>
public enum TsMuxStatus
{
    Ok,

    /// <summary>A video frame arrived before a valid AVC/HEVC sequence header.</summary>
    NoVideoConfig,

    /// <summary>An audio frame arrived before a valid AudioSpecificConfig.</summary>
    NoAudioConfig,

    /// <summary>A NAL length prefix was truncated or ran past the end of the frame.</summary>
    NalLengthOverrun,

    /// <summary>The frame holds no NAL unit (or no audio bytes) to mux.</summary>
    EmptyFrame,

    /// <summary>Video above <see cref="TsMuxer.MaxFrameLength"/>, or audio above what ADTS can frame.</summary>
    FrameTooLarge,

    /// <summary>The avcC/hvcC record is malformed or lacks a parameter set; the previous config stays.</summary>
    BadVideoConfig,

    /// <summary>The AudioSpecificConfig is malformed or not expressible in ADTS; the previous config stays.</summary>
    BadAudioConfig,
}
