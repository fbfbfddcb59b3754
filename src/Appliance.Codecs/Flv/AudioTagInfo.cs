namespace Appliance.Codecs.Flv;

/// <summary>The header of an FLV/RTMP audio payload, legacy or Enhanced RTMP (SoundFormat 9).</summary>
public readonly struct AudioTagInfo
{
    private const int ExSequenceStart = 0;
    private const int ExMultichannelConfig = 4;
    private const int ExMultitrack = 5;
    private const int ManyTracksManyCodecs = 2;

    private AudioTagInfo(SoundFormat format, bool isSequenceHeader, int headerLength)
    {
        Format = format;
        IsSequenceHeader = isSequenceHeader;
        HeaderLength = headerLength;
    }

    public SoundFormat Format { get; }

    /// <summary>AAC packet type 0 (AudioSpecificConfig), or an enhanced SequenceStart.</summary>
    public bool IsSequenceHeader { get; }

    /// <summary>Bytes before the codec payload: AAC 2, enhanced 5 (more with ModEx/multitrack), others 1.</summary>
    public int HeaderLength { get; }

    public static bool TryParse(ReadOnlySpan<byte> tagPayload, out AudioTagInfo info)
    {
        info = default;
        if (tagPayload.IsEmpty)
        {
            return false;
        }
        var formatValue = tagPayload[0] >> 4;
        if (formatValue is 12 or 13)
        {
            return false;
        }
        var format = (SoundFormat)formatValue;
        if (format == SoundFormat.ExHeader)
        {
            return TryParseEnhanced(tagPayload, out info);
        }
        if (format != SoundFormat.Aac)
        {
            info = new AudioTagInfo(format, isSequenceHeader: false, headerLength: 1);
            return true;
        }
        if (tagPayload.Length < 2 || tagPayload[1] > 1)
        {
            return false;
        }
        info = new AudioTagInfo(format, isSequenceHeader: tagPayload[1] == 0, headerLength: 2);
        return true;
    }

    private static bool TryParseEnhanced(ReadOnlySpan<byte> payload, out AudioTagInfo info)
    {
        info = default;
        var packetType = payload[0] & 0x0F;
        var offset = 1;
        if (packetType == ModEx.PacketType && !ModEx.TrySkip(payload, ref offset, ref packetType))
        {
            return false;
        }
        var isMultitrack = packetType == ExMultitrack;
        var hasFourCc = true;
        if (isMultitrack)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            var multitrackType = payload[offset] >> 4;
            packetType = payload[offset] & 0x0F;
            offset++;
            hasFourCc = multitrackType != ManyTracksManyCodecs;
        }
        // 0 SequenceStart, 1 CodedFrames, 2 SequenceEnd, 4 MultichannelConfig; the rest are reserved.
        if (packetType is not (0 or 1 or 2 or ExMultichannelConfig))
        {
            return false;
        }
        if (hasFourCc)
        {
            if (payload.Length - offset < 4)
            {
                return false;
            }
            offset += 4;
        }
        var isSequenceHeader = !isMultitrack && packetType == ExSequenceStart;
        info = new AudioTagInfo(SoundFormat.ExHeader, isSequenceHeader, offset);
        return true;
    }
}
