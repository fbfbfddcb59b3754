namespace Appliance.Codecs.Flv;

/// <summary>
/// The header of an FLV/RTMP video payload, legacy (FLV spec annex E) or Enhanced RTMP
/// (veovera enhanced-rtmp v1/v2). Parsing reads only the header; the codec payload starts at
/// <see cref="HeaderLength"/>.
/// </summary>
public readonly struct VideoTagInfo
{
    private const int LegacyAvcHeaderLength = 5;
    private const int ExCodedFrames = 1;
    private const int ExSequenceEnd = 2;
    private const int ExCodedFramesX = 3;
    private const int ExMetadata = 4;
    private const int ExMpeg2TsSequenceStart = 5;
    private const int ExMultitrack = 6;
    private const int ManyTracksManyCodecs = 2;

    private VideoTagInfo(VideoCodec codec, VideoFrameType frameType, VideoPacketKind kind, int compositionTimeMs, int headerLength, bool hasCompositionTime = false)
    {
        HasCompositionTime = hasCompositionTime;
        Codec = codec;
        FrameType = frameType;
        Kind = kind;
        CompositionTimeMs = compositionTimeMs;
        HeaderLength = headerLength;
    }

    public VideoCodec Codec { get; }

    public VideoFrameType FrameType { get; }

    public VideoPacketKind Kind { get; }

    /// <summary>PTS minus DTS in milliseconds (signed 24-bit on the wire); 0 when absent.</summary>
    public int CompositionTimeMs { get; }

    /// <summary>The header ends with a CompositionTime field (its last three bytes), even when it holds 0.</summary>
    public bool HasCompositionTime { get; }

    /// <summary>Bytes before the codec payload (legacy AVC/HEVC: 5; enhanced: 5, or 8 with composition time).</summary>
    public int HeaderLength { get; }

    public bool IsKeyFrame => FrameType == VideoFrameType.Key;

    /// <summary>False when the payload is too short or its header makes no sense.</summary>
    public static bool TryParse(ReadOnlySpan<byte> tagPayload, out VideoTagInfo info)
    {
        info = default;
        if (tagPayload.IsEmpty)
        {
            return false;
        }
        return (tagPayload[0] & 0x80) != 0
            ? TryParseEnhanced(tagPayload, out info)
            : TryParseLegacy(tagPayload, out info);
    }

    private static bool TryParseLegacy(ReadOnlySpan<byte> payload, out VideoTagInfo info)
    {
        info = default;
        var frameType = payload[0] >> 4;
        if (frameType is < 1 or > 5)
        {
            return false;
        }
        var codec = (payload[0] & 0x0F) switch
        {
            2 => VideoCodec.SorensonH263,
            3 => VideoCodec.ScreenVideo,
            4 => VideoCodec.Vp6,
            5 => VideoCodec.Vp6Alpha,
            6 => VideoCodec.ScreenVideo2,
            7 => VideoCodec.Avc,
            // Not in the FLV spec, but the de-facto id for HEVC among Chinese CDNs and encoders.
            12 => VideoCodec.Hevc,
            _ => VideoCodec.Unknown,
        };
        if (codec == VideoCodec.Unknown)
        {
            return false;
        }
        var type = (VideoFrameType)frameType;
        if (codec is not (VideoCodec.Avc or VideoCodec.Hevc))
        {
            var otherKind = type == VideoFrameType.Command ? VideoPacketKind.MultitrackOrOther : VideoPacketKind.CodedFrames;
            info = new VideoTagInfo(codec, type, otherKind, compositionTimeMs: 0, headerLength: 1);
            return true;
        }
        if (payload.Length < LegacyAvcHeaderLength)
        {
            return false;
        }
        VideoPacketKind kind;
        switch (payload[1])
        {
            case 0:
                kind = VideoPacketKind.SequenceHeader;
                break;
            case 1:
                kind = VideoPacketKind.CodedFrames;
                break;
            case 2:
                kind = VideoPacketKind.EndOfSequence;
                break;
            default:
                return false;
        }
        if (type == VideoFrameType.Command)
        {
            kind = VideoPacketKind.MultitrackOrOther;
        }
        info = new VideoTagInfo(codec, type, kind, ReadSi24(payload[2..]), LegacyAvcHeaderLength, hasCompositionTime: true);
        return true;
    }

    private static bool TryParseEnhanced(ReadOnlySpan<byte> payload, out VideoTagInfo info)
    {
        info = default;
        var frameTypeValue = (payload[0] >> 4) & 0x07;
        if (frameTypeValue is < 1 or > 5)
        {
            return false;
        }
        var frameType = (VideoFrameType)frameTypeValue;
        var packetType = payload[0] & 0x0F;
        var offset = 1;
        if (packetType == ModEx.PacketType && !ModEx.TrySkip(payload, ref offset, ref packetType))
        {
            return false;
        }

        // A command frame carries one command byte and no FourCC.
        if (packetType != ExMetadata && frameType == VideoFrameType.Command)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            info = new VideoTagInfo(VideoCodec.Unknown, frameType, VideoPacketKind.MultitrackOrOther, compositionTimeMs: 0, offset + 1);
            return true;
        }

        if (packetType == ExMultitrack)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            var multitrackType = payload[offset++] >> 4;
            uint trackFourCc = 0;
            if (multitrackType != ManyTracksManyCodecs)
            {
                if (payload.Length - offset < 4)
                {
                    return false;
                }
                trackFourCc = Flv.FourCc.Read(payload.Slice(offset, 4));
                offset += 4;
            }
            info = new VideoTagInfo(Flv.FourCc.ToVideoCodec(trackFourCc), frameType, VideoPacketKind.MultitrackOrOther, compositionTimeMs: 0, offset);
            return true;
        }

        if (payload.Length - offset < 4)
        {
            return false;
        }
        var fourCc = Flv.FourCc.Read(payload.Slice(offset, 4));
        offset += 4;
        var codec = Flv.FourCc.ToVideoCodec(fourCc);
        var compositionTime = 0;
        var hasCompositionTime = false;
        VideoPacketKind kind;
        switch (packetType)
        {
            case 0:
                kind = VideoPacketKind.SequenceHeader;
                break;
            case ExCodedFrames:
                kind = VideoPacketKind.CodedFrames;
                // Only the codecs with B-frame reordering in the FLV model carry a composition time.
                if (codec is VideoCodec.Avc or VideoCodec.Hevc)
                {
                    if (payload.Length - offset < 3)
                    {
                        return false;
                    }
                    compositionTime = ReadSi24(payload[offset..]);
                    hasCompositionTime = true;
                    offset += 3;
                }
                break;
            case ExSequenceEnd:
                kind = VideoPacketKind.EndOfSequence;
                break;
            case ExCodedFramesX:
                kind = VideoPacketKind.CodedFrames;
                break;
            case ExMetadata:
                kind = VideoPacketKind.Metadata;
                break;
            case ExMpeg2TsSequenceStart:
                kind = VideoPacketKind.MultitrackOrOther;
                break;
            default:
                return false;
        }
        info = new VideoTagInfo(codec, frameType, kind, compositionTime, offset, hasCompositionTime);
        return true;
    }

    private static int ReadSi24(ReadOnlySpan<byte> bytes)
    {
        var value = (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
        return (value << 8) >> 8;
    }
}
