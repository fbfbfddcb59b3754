namespace Appliance.Codecs.MpegTs;

/// <summary>
/// One ADTS frame read from a TS audio PES (ISO/IEC 13818-7, 6.2): where its raw AAC data is, and
/// the fields an AudioSpecificConfig needs. A PES may hold several frames back to back.
/// </summary>
public readonly record struct AdtsFrame(int ObjectType, int SampleRateIndex, int ChannelConfiguration, int HeaderLength, int FrameLength)
{
    private static ReadOnlySpan<int> SampleRates =>
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    public int SampleRate => SampleRates[SampleRateIndex];

    /// <summary>
    /// Reads the frame at the start of <paramref name="data"/>. False when there is no sync word, a
    /// reserved sampling index, a frame length shorter than its header or longer than the data, or
    /// more than one raw block (which needs the block table).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out AdtsFrame frame)
    {
        frame = default;
        if (data.Length < AdtsHeader.Length || data[0] != 0xFF || (data[1] & 0xF6) != 0xF0)
        {
            return false;
        }
        var headerLength = (data[1] & 0x01) != 0 ? AdtsHeader.Length : AdtsHeader.Length + 2;
        var objectType = (data[2] >> 6) + 1;
        var rateIndex = (data[2] >> 2) & 0x0F;
        var channels = ((data[2] & 0x01) << 2) | (data[3] >> 6);
        var frameLength = ((data[3] & 0x03) << 11) | (data[4] << 3) | (data[5] >> 5);
        var blocks = data[6] & 0x03;
        if (rateIndex > 12 || frameLength < headerLength || frameLength > data.Length || blocks != 0)
        {
            return false;
        }
        frame = new AdtsFrame(objectType, rateIndex, channels, headerLength, frameLength);
        return true;
    }

    /// <summary>The 2-byte AudioSpecificConfig this frame's header describes.</summary>
    public byte[] AudioSpecificConfig() =>
        [(byte)((ObjectType << 3) | (SampleRateIndex >> 1)), (byte)(((SampleRateIndex & 1) << 7) | (ChannelConfiguration << 3))];
}
