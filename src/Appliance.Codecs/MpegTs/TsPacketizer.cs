using System.Diagnostics;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Spreads one PES packet, whose total length is known in advance, over TS packets written
/// straight into the caller's buffer. The caller appends the PES in pieces (header, start codes,
/// NAL bodies) with no intermediate copy; knowing the length up front lets the last packet carry
/// exactly the remaining bytes, padded with adaptation-field stuffing in front of them.
/// </summary>
internal ref struct TsPacketizer
{
    /// <summary>Adaptation field length byte, flags, and the 6-byte PCR.</summary>
    public const int PcrAdaptationLength = 8;

    /// <summary>Adaptation field length byte and flags, for random_access_indicator alone.</summary>
    public const int FlagsAdaptationLength = 2;

    private readonly Span<byte> _destination;
    private readonly int _pid;
    private readonly long _pcrBase;
    private readonly bool _randomAccess;
    private int _position;
    private int _packetRoom;
    private int _pesRemaining;
    private int _continuityCounter;

    /// <param name="pcrBase">The 90 kHz PCR base for the first packet, or -1 for none.</param>
    public TsPacketizer(Span<byte> destination, int pid, int continuityCounter, int pesLength, long pcrBase, bool randomAccess)
    {
        Debug.Assert(pesLength > 0, "a PES packet always has a header");
        _destination = destination;
        _pid = pid;
        _continuityCounter = continuityCounter;
        _pesRemaining = pesLength;
        _pcrBase = pcrBase;
        _randomAccess = randomAccess;
        _position = 0;
        _packetRoom = 0;
    }

    public readonly int BytesWritten => _position;

    /// <summary>The counter the next packet of this PID must carry.</summary>
    public readonly int ContinuityCounter => _continuityCounter;

    public readonly bool Done => _pesRemaining == 0 && _packetRoom == 0;

    /// <summary>TS packets needed for a PES of <paramref name="pesLength"/> bytes.</summary>
    public static int PacketCount(int pesLength, int firstAdaptationLength)
    {
        var firstRoom = TsPacket.MaxPayload - firstAdaptationLength;
        var rest = Math.Max(0, pesLength - firstRoom);
        return 1 + ((rest + TsPacket.MaxPayload - 1) / TsPacket.MaxPayload);
    }

    /// <summary>The adaptation field the first packet needs before any stuffing.</summary>
    public static int FirstAdaptationLength(bool hasPcr, bool randomAccess) =>
        hasPcr ? PcrAdaptationLength : randomAccess ? FlagsAdaptationLength : 0;

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_packetRoom == 0)
            {
                StartPacket();
            }
            var count = Math.Min(bytes.Length, _packetRoom);
            bytes[..count].CopyTo(_destination.Slice(_position, count));
            _position += count;
            _packetRoom -= count;
            _pesRemaining -= count;
            bytes = bytes[count..];
        }
    }

    private void StartPacket()
    {
        Debug.Assert(_pesRemaining > 0, "appended more than the announced PES length");
        var first = _position == 0;
        var hasPcr = first && _pcrBase >= 0;
        var randomAccess = first && _randomAccess;
        var adaptation = FirstAdaptationLength(hasPcr, randomAccess);
        var room = TsPacket.MaxPayload - adaptation;
        if (_pesRemaining < room)
        {
            adaptation += room - _pesRemaining;
            room = _pesRemaining;
        }

        var packet = _destination.Slice(_position, TsPacket.Size);
        packet[0] = TsPacket.SyncByte;
        packet[1] = (byte)((first ? 0x40 : 0) | (_pid >> 8));
        packet[2] = (byte)_pid;
        packet[3] = (byte)((adaptation > 0 ? 0x30 : 0x10) | _continuityCounter);
        _continuityCounter = (_continuityCounter + 1) & 0x0F;
        if (adaptation > 0)
        {
            WriteAdaptationField(packet.Slice(TsPacket.HeaderLength, adaptation), hasPcr, randomAccess);
        }
        _position += TsPacket.HeaderLength + adaptation;
        _packetRoom = room;
    }

    // A one-byte field (length 0) is legal and is how exactly one byte of stuffing is made.
    private readonly void WriteAdaptationField(Span<byte> field, bool hasPcr, bool randomAccess)
    {
        field[0] = (byte)(field.Length - 1);
        if (field.Length == 1)
        {
            return;
        }
        field[1] = (byte)((randomAccess ? 0x40 : 0) | (hasPcr ? 0x10 : 0));
        var offset = 2;
        if (hasPcr)
        {
            TsPesRestamp.WritePcr(field[2..], _pcrBase);
            offset = PcrAdaptationLength;
        }
        field[offset..].Fill(0xFF);
    }
}
