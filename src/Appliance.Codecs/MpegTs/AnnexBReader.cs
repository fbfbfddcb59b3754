namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Walks the NAL units of an Annex-B byte stream. Bytes before the first start code are skipped,
/// and zero bytes before a start code are dropped (they are the zero_byte of a four-byte start
/// code or trailing_zero_8bits, never part of a NAL unit, which cannot end in 00).
/// </summary>
public ref struct AnnexBReader
{
    private const int StartCodeLength = 3;

    private readonly ReadOnlySpan<byte> _data;
    private int _nextStartCode;

    public AnnexBReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _nextStartCode = NalScanner.IndexOfStartCode(data);
    }

    /// <summary>The next non-empty NAL unit, header byte(s) included; false at the end.</summary>
    public bool TryReadNext(out ReadOnlySpan<byte> nal)
    {
        while (_nextStartCode >= 0)
        {
            var start = _nextStartCode + StartCodeLength;
            var found = NalScanner.IndexOfStartCode(_data[start..]);
            var end = found < 0 ? _data.Length : start + found;
            _nextStartCode = found < 0 ? -1 : end;
            while (end > start && _data[end - 1] == 0)
            {
                end--;
            }
            if (end > start)
            {
                nal = _data[start..end];
                return true;
            }
        }
        nal = default;
        return false;
    }
}
