using System.Buffers.Binary;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Reassembles the PES packets of one elementary stream. The buffer grows by doubling up to the
/// demuxer's limit and is reused from one PES to the next, so its size tracks the largest frame.
/// </summary>
internal sealed class PesAssembler
{
    private const int MinCapacity = 4096;
    private const int LengthFieldEnd = 6;

    private readonly int _maxLength;
    private byte[] _buffer = [];
    private int _length;

    // Total PES bytes promised by PES_packet_length; 0 = unbounded (video), -1 = not yet read.
    private int _expectedLength;

    public PesAssembler(TsElementaryStream stream, int maxLength)
    {
        Stream = stream;
        _maxLength = maxLength;
    }

    public enum AppendResult
    {
        Continue,
        Complete,
        Oversized,
        BadPrefix,
    }

    public TsElementaryStream Stream { get; }

    public bool IsActive { get; private set; }

    public bool RandomAccess { get; private set; }

    /// <summary>Set when a unit was lost or a discontinuity signalled; reported on the next unit.</summary>
    public bool PendingDiscontinuity { get; set; }

    public int LastContinuityCounter { get; set; } = -1;

    /// <summary>The bytes of the current PES, cut to PES_packet_length when it was given.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, _expectedLength > 0 ? Math.Min(_length, _expectedLength) : _length);

    /// <summary>True when PES_packet_length promised more than arrived.</summary>
    public bool IsShort => _expectedLength > 0 && _length < _expectedLength;

    public void Begin(bool randomAccess)
    {
        IsActive = true;
        RandomAccess = randomAccess;
        _length = 0;
        _expectedLength = -1;
    }

    public void Abort() => IsActive = false;

    public AppendResult Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _maxLength - _length)
        {
            return AppendResult.Oversized;
        }
        EnsureCapacity(_length + payload.Length);
        payload.CopyTo(_buffer.AsSpan(_length));
        var before = _length;
        _length += payload.Length;

        // Judge the start as soon as it is here, so junk is never buffered up to the limit.
        if (before < 3 && _length >= 3 && (_buffer[0] != 0 || _buffer[1] != 0 || _buffer[2] != 1))
        {
            return AppendResult.BadPrefix;
        }
        if (_expectedLength < 0 && _length >= LengthFieldEnd)
        {
            var packetLength = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(4));
            _expectedLength = packetLength == 0 ? 0 : LengthFieldEnd + packetLength;
            if (_expectedLength > _maxLength)
            {
                return AppendResult.Oversized;
            }
        }
        return _expectedLength > 0 && _length >= _expectedLength ? AppendResult.Complete : AppendResult.Continue;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }
        var capacity = Math.Min(Math.Max(MinCapacity, _buffer.Length), _maxLength);
        while (capacity < needed)
        {
            capacity = (int)Math.Min((long)capacity * 2, _maxLength);
        }
        var grown = new byte[capacity];
        _buffer.AsSpan(0, _length).CopyTo(grown);
        _buffer = grown;
    }
}
