using System.Buffers.Binary;

namespace Appliance.Codecs.Avc;

/// <summary>
/// The latency stamp: an SEI message user_data_unregistered (payloadType 5, H.264 D.1.6 and H.265
/// D.2.6) whose UUID is <see cref="Uuid"/> and whose user data is the wall-clock time at which the
/// frame was sent, as 64-bit big-endian microseconds since the Unix epoch. Decoders ignore SEI
/// they do not know, and every transmux (FLV, TS, CMAF) carries SEI NAL units with the frame, so
/// the stamp arrives wherever the picture does. The UUID has no zero byte (no emulation
/// prevention can fall inside it, so a reader finds it by a plain byte search in any framing:
/// AVCC, Annex B, PES, mdat) and its first byte appears in it only once (a search cut between two
/// reads needs no back-tracking, see <see cref="SeiStampScanner"/>).
/// </summary>
public static class SeiStamp
{
    /// <summary>a95e7c41-d23b-4f86-9e1c-62b7f058e32d</summary>
    public static ReadOnlySpan<byte> Uuid =>
        [0xA9, 0x5E, 0x7C, 0x41, 0xD2, 0x3B, 0x4F, 0x86, 0x9E, 0x1C, 0x62, 0xB7, 0xF0, 0x58, 0xE3, 0x2D];

    public const int UuidLength = 16;

    public const int TimeLength = 8;

    /// <summary>The longest NAL unit either writer makes: a 2-byte header, type, size, UUID, time with up to 3 emulation prevention bytes (a time of 0), and the trailing bits.</summary>
    public const int MaxNalLength = 2 + 2 + UuidLength + TimeLength + 3 + 1;

    private const byte UserDataUnregistered = 5;
    private const byte H264SeiNal = 0x06;
    private const byte RbspStopBit = 0x80;

    /// <summary>The Unix epoch in microseconds of <paramref name="utc"/>.</summary>
    public static long UnixMicroseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Writes an H.264 SEI NAL unit (type 6, no start code nor length) holding the stamp; its length.</summary>
    public static int WriteH264Nal(Span<byte> destination, long unixMicroseconds)
    {
        destination[0] = H264SeiNal;
        return 1 + WriteSeiRbsp(destination[1..], unixMicroseconds);
    }

    /// <summary>
    /// Writes the SEI RBSP (one message and the trailing bits), with emulation prevention, after a
    /// NAL header; its length. The header is the caller's (H.264: 1 byte, H.265: 2).
    /// </summary>
    public static int WriteSeiRbsp(Span<byte> destination, long unixMicroseconds)
    {
        Span<byte> raw = stackalloc byte[2 + UuidLength + TimeLength + 1];
        raw[0] = UserDataUnregistered;
        raw[1] = UuidLength + TimeLength;
        Uuid.CopyTo(raw[2..]);
        BinaryPrimitives.WriteInt64BigEndian(raw[(2 + UuidLength)..], unixMicroseconds);
        raw[^1] = RbspStopBit;
        var written = 0;
        var zeros = 0;
        foreach (var b in raw)
        {
            // H.264 7.4.1 / H.265 7.4.2: 0x000000-0x000003 inside a NAL unit become 0x0000 03 0x.
            if (zeros >= 2 && b <= 3)
            {
                destination[written++] = 3;
                zeros = 0;
            }
            destination[written++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return written;
    }

    /// <summary>
    /// Finds the first stamp in <paramref name="data"/> (NAL units in any framing, emulation
    /// prevention included) and reads its time. False when there is none, or it is cut short.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> data, out long unixMicroseconds)
    {
        var scanner = new SeiStampScanner();
        return scanner.TryNext(ref data, out unixMicroseconds);
    }
}
