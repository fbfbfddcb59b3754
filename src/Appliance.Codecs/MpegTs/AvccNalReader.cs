using System.Buffers.Binary;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Walks the length-prefixed NAL units of an AVCC/HVCC sample (ISO/IEC 14496-15), as carried by
/// FLV and RTMP. A length that runs past the end, or a partial length field, stops the walk and
/// sets <see cref="Failed"/>; a publisher controls these bytes, so nothing here trusts them.
/// Zero-length units are skipped: they carry nothing and Annex-B cannot express them.
/// </summary>
public ref struct AvccNalReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _lengthSize;
    private int _position;

    /// <param name="lengthSize">Bytes of each length prefix: 1, 2, 3 or 4.</param>
    public AvccNalReader(ReadOnlySpan<byte> data, int lengthSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lengthSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lengthSize, 4);
        _data = data;
        _lengthSize = lengthSize;
        _position = 0;
        Failed = false;
    }

    /// <summary>True once a length prefix was truncated or overran the data.</summary>
    public bool Failed { get; private set; }

    public bool TryReadNext(out ReadOnlySpan<byte> nal)
    {
        nal = default;
        while (!Failed && _position < _data.Length)
        {
            if (_data.Length - _position < _lengthSize)
            {
                Failed = true;
                return false;
            }
            var length = ReadLength(_data.Slice(_position, _lengthSize));
            _position += _lengthSize;
            if (length > (uint)(_data.Length - _position))
            {
                Failed = true;
                return false;
            }
            if (length == 0)
            {
                continue;
            }
            nal = _data.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }
        return false;
    }

    private static uint ReadLength(ReadOnlySpan<byte> prefix) => prefix.Length switch
    {
        1 => prefix[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(prefix),
        3 => (uint)((prefix[0] << 16) | (prefix[1] << 8) | prefix[2]),
        _ => BinaryPrimitives.ReadUInt32BigEndian(prefix),
    };
}
