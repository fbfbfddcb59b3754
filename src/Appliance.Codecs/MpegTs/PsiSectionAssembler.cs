namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Collects PSI sections from the TS packets of one PID (ISO/IEC 13818-1, 2.4.4): a section starts
/// after the pointer_field of a unit-start packet and may span packets; several may share one.
/// The buffer is fixed at the largest legal PAT/PMT section, so nothing here grows with input.
/// </summary>
internal sealed class PsiSectionAssembler
{
    /// <summary>table_id and section_length (3 bytes) plus the 1021-byte maximum section_length.</summary>
    public const int MaxSectionLength = 3 + 1021;

    private const int StuffingByte = 0xFF;

    private readonly byte[] _buffer = new byte[MaxSectionLength];
    private int _length;
    private bool _collecting;

    public delegate void SectionHandler(ReadOnlySpan<byte> section);

    public int LastContinuityCounter { get; set; } = -1;

    /// <summary>Feeds one packet's payload; false when its framing was malformed (the partial section is dropped).</summary>
    public bool Feed(ReadOnlySpan<byte> payload, bool unitStart, SectionHandler onSection)
    {
        if (unitStart)
        {
            if (payload.IsEmpty || payload[0] >= payload.Length)
            {
                Reset();
                return false;
            }
            var pointer = payload[0];
            payload = payload[1..];
            // Bytes before the pointer end the section already under way.
            if (_collecting && _length > 0 && !Continue(payload[..pointer], onSection))
            {
                Reset();
                return false;
            }
            Reset();
            _collecting = true;
            payload = payload[pointer..];
        }
        if (!_collecting)
        {
            return true;
        }
        if (!Continue(payload, onSection))
        {
            Reset();
            return false;
        }
        return true;
    }

    public void Reset()
    {
        _length = 0;
        _collecting = false;
    }

    private bool Continue(ReadOnlySpan<byte> data, SectionHandler onSection)
    {
        while (_collecting && !data.IsEmpty)
        {
            // After a section, 0xFF fills the rest of the packet: nothing more starts here.
            if (_length == 0 && data[0] == StuffingByte)
            {
                _collecting = false;
                return true;
            }
            var target = _length < 3 ? 3 : SectionTotal();
            var take = Math.Min(target - _length, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_length));
            _length += take;
            data = data[take..];
            if (_length < 3)
            {
                continue;
            }
            var total = SectionTotal();
            if (total > MaxSectionLength)
            {
                return false;
            }
            if (_length == total)
            {
                onSection(_buffer.AsSpan(0, total));
                _length = 0;
            }
        }
        return true;
    }

    private int SectionTotal() => 3 + (((_buffer[1] & 0x0F) << 8) | _buffer[2]);
}
