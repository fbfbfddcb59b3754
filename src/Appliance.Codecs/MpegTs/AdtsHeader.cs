using Appliance.Codecs.Aac;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// The 7-byte ADTS header (ISO/IEC 13818-7, 6.2; no CRC) that frames each raw AAC frame in TS.
/// Its fixed fields come from the AudioSpecificConfig; only the frame length varies per frame.
/// </summary>
public readonly struct AdtsHeader
{
    public const int Length = 7;

    /// <summary>aac_frame_length is 13 bits and counts the header.</summary>
    public const int MaxFrameLength = (1 << 13) - 1;

    public const int MaxPayloadLength = MaxFrameLength - Length;

    private readonly byte _byte2;
    private readonly byte _byte3;

    /// <param name="profile">The 2-bit profile: the MPEG-4 audio object type minus one (LC is 1).</param>
    private AdtsHeader(int profile, int sampleRateIndex, int channelConfiguration)
    {
        _byte2 = (byte)((profile << 6) | (sampleRateIndex << 2) | (channelConfiguration >> 2));
        _byte3 = (byte)((channelConfiguration & 0x3) << 6);
    }

    /// <summary>
    /// False when ADTS cannot describe the config: a core object type other than Main, LC, SSR or
    /// LTP (HE-AAC is fine: ADTS carries its LC core and the decoder finds SBR/PS implicitly), an
    /// explicit sampling rate (index 15), or channel configuration 0 or above 7 (0 would need the
    /// program config element in-band).
    /// </summary>
    public static bool TryCreate(AacConfig config, out AdtsHeader header)
    {
        header = default;
        if (config.CoreObjectType is < 1 or > 4 || config.SampleRateIndex is < 0 or > 12 || config.ChannelConfiguration is < 1 or > 7)
        {
            return false;
        }
        header = new AdtsHeader(config.CoreObjectType - 1, config.SampleRateIndex, config.ChannelConfiguration);
        return true;
    }

    /// <summary>Writes the header for a raw frame of <paramref name="payloadLength"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frame does not fit in 13 bits with its header.</exception>
    public void Write(Span<byte> destination, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxPayloadLength);
        var frameLength = payloadLength + Length;
        destination[0] = 0xFF;
        // Sync continued, MPEG-4, layer 0, no CRC.
        destination[1] = 0xF1;
        destination[2] = _byte2;
        destination[3] = (byte)(_byte3 | (frameLength >> 11));
        destination[4] = (byte)(frameLength >> 3);
        // Buffer fullness 0x7FF ("variable rate"), one raw data block.
        destination[5] = (byte)(((frameLength & 0x7) << 5) | 0x1F);
        destination[6] = 0xFC;
    }
}
