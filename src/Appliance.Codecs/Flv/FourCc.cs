using System.Buffers.Binary;

namespace Appliance.Codecs.Flv;

/// <summary>Enhanced RTMP codec FourCCs, as big-endian integers of their four ASCII characters.</summary>
public static class FourCc
{
    public const uint Avc1 = 0x61766331;  // 'avc1'
    public const uint Hvc1 = 0x68766331;  // 'hvc1'
    public const uint Av01 = 0x61763031;  // 'av01'
    public const uint Vp09 = 0x76703039;  // 'vp09'
    public const uint Mp4a = 0x6D703461;  // 'mp4a'
    public const uint Opus = 0x4F707573;  // 'Opus'
    public const uint Flac = 0x664C6143;  // 'fLaC'
    public const uint Ac3 = 0x61632D33;   // 'ac-3'
    public const uint Ec3 = 0x65632D33;   // 'ec-3'
    public const uint Mp3 = 0x2E6D7033;   // '.mp3'

    public static uint Read(ReadOnlySpan<byte> fourBytes) => BinaryPrimitives.ReadUInt32BigEndian(fourBytes);

    public static VideoCodec ToVideoCodec(uint fourCc) => fourCc switch
    {
        Avc1 => VideoCodec.Avc,
        Hvc1 => VideoCodec.Hevc,
        Av01 => VideoCodec.Av1,
        Vp09 => VideoCodec.Vp9,
        _ => VideoCodec.Unknown,
    };

    public static string ToString(uint fourCc) => string.Create(4, fourCc, static (chars, value) =>
    {
        for (var i = 0; i < 4; i++)
        {
            var c = (char)((value >> (24 - (8 * i))) & 0xFF);
            chars[i] = c is >= ' ' and <= '~' ? c : '?';
        }
    });
}
