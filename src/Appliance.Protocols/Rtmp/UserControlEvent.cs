namespace Appliance.Protocols.Rtmp;

/// <summary>User Control message event types (RTMP spec 7.1.7).</summary>
public static class UserControlEvent
{
    public const ushort StreamBegin = 0;
    public const ushort StreamEof = 1;
    public const ushort StreamDry = 2;
    public const ushort SetBufferLength = 3;
    public const ushort StreamIsRecorded = 4;
    public const ushort PingRequest = 6;
    public const ushort PingResponse = 7;
}
