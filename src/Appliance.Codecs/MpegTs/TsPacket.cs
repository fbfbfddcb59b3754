namespace Appliance.Codecs.MpegTs;

/// <summary>Fixed sizes and values of the MPEG-2 transport stream packet (ISO/IEC 13818-1, 2.4.3).</summary>
public static class TsPacket
{
    public const int Size = 188;
    public const byte SyncByte = 0x47;
    public const int HeaderLength = 4;

    /// <summary>Payload bytes of a packet without an adaptation field.</summary>
    public const int MaxPayload = Size - HeaderLength;

    public const int PatPid = 0x0000;
    public const int NullPid = 0x1FFF;
}
