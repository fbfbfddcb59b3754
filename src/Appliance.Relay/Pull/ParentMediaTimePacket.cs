using System.Globalization;
using System.Text;

namespace Appliance.Relay.Pull;

/// <summary>
/// How an appliance parent tells a node pulling over SRT its 64-bit media time
/// (<see cref="ParentMediaTime"/>): SRT has no response head, and TS stamps are 33-bit at 90 kHz
/// (they wrap every 26.5 h). One TS packet goes before the stream's own, on a PID no PMT lists,
/// so players skip it: <c>appliance-media-time-ms=DIGITS</c>, then stuffing. Sent only to
/// requests that carry the via query (another node pulling); the node reads and drops it.
/// </summary>
public static class ParentMediaTimePacket
{
    public const int PacketLength = 188;

    /// <summary>A PID in the range left to private use that no muxer of ours lists.</summary>
    public const int Pid = 0x1FF0;

    private const byte SyncByte = 0x47;

    private static ReadOnlySpan<byte> Tag => "appliance-media-time-ms="u8;

    public static byte[] Create(long mediaTimeMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mediaTimeMs);
        var packet = new byte[PacketLength];
        packet.AsSpan().Fill(0xFF);
        packet[0] = SyncByte;
        // Payload unit start, the PID; payload only, continuity counter 0.
        packet[1] = (byte)(0x40 | (Pid >> 8));
        packet[2] = unchecked((byte)Pid);
        packet[3] = 0x10;
        Tag.CopyTo(packet.AsSpan(4));
        Encoding.ASCII.GetBytes(mediaTimeMs.ToString(CultureInfo.InvariantCulture), packet.AsSpan(4 + Tag.Length));
        return packet;
    }

    /// <summary>True when <paramref name="packet"/> (188 bytes) is this packet; then the media time it carries, or null with why not.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out long? mediaTimeMs, out string? problem)
    {
        mediaTimeMs = null;
        problem = null;
        if (packet.Length < PacketLength || packet[0] != SyncByte || ((packet[1] & 0x1F) << 8 | packet[2]) != Pid)
        {
            return false;
        }
        var payload = packet[4..PacketLength];
        if (!payload.StartsWith(Tag))
        {
            problem = "the media time packet does not start with appliance-media-time-ms=";
            return true;
        }
        var digits = payload[Tag.Length..];
        var end = digits.IndexOf((byte)0xFF);
        var text = Encoding.ASCII.GetString(end < 0 ? digits : digits[..end]);
        mediaTimeMs = ParentMediaTime.Read(text, out problem);
        return true;
    }
}
