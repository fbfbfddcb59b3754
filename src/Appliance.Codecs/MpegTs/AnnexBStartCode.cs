namespace Appliance.Codecs.MpegTs;

/// <summary>
/// The start code 00 00 00 01 that replaces each length prefix of an AVCC/HVCC sample in the
/// Annex-B stream TS carries: legal before any NAL unit, and the size of a four-byte prefix. NAL
/// bodies need no change: they already carry their emulation-prevention bytes.
/// </summary>
internal static class AnnexBStartCode
{
    public const int Length = 4;

    public static ReadOnlySpan<byte> Bytes => [0, 0, 0, 1];
}
