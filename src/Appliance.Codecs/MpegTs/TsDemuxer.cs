namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Reads an MPEG-TS byte stream (a pulled HTTP-TS body, or the muxer's output in tests) into access
/// units. Feed it bytes split anywhere with <see cref="Write"/>, take units with
/// <see cref="TryRead"/>, and call <see cref="Flush"/> at the end: video PES packets have no length,
/// so the last one ends only when the stream does.
/// </summary>
/// <remarks>
/// It follows the first program of the PAT and reassembles the H.264, H.265 and AAC streams of its
/// PMT (up to <see cref="MaxStreams"/>). Damage is survived and counted, never thrown: lost sync is
/// regained at the next 0x47 that a second one 188 bytes on confirms; packets flagged with a
/// transport error or a malformed adaptation field are skipped; sections with a bad CRC are
/// ignored; a continuity-counter gap drops the unit under way and flags the next one; a PES longer
/// than the limit, or with a bad header, is dropped. Memory is bounded by the limit per stream.
/// </remarks>
public sealed partial class TsDemuxer
{
    public const int DefaultMaxAccessUnitLength = 8 * 1024 * 1024;
    public const int DefaultMaxResyncBytes = 64 * TsPacket.Size;

    /// <summary>Streams of one program we reassemble at most; real programs have two or three.</summary>
    public const int MaxStreams = 8;

    private readonly int _maxAccessUnitLength;
    private readonly int _maxResyncBytes;
    private readonly byte[] _carry = new byte[TsPacket.Size];
    private readonly PsiSectionAssembler _pat = new();
    private readonly PsiSectionAssembler _pmt = new();
    private readonly PsiSectionAssembler.SectionHandler _onPat;
    private readonly PsiSectionAssembler.SectionHandler _onPmt;
    private readonly List<TsElementaryStream> _streams = [];
    private readonly List<TsElementaryStream> _parsedStreams = [];
    private readonly Dictionary<int, PesAssembler> _assemblers = [];
    private readonly Queue<TsAccessUnit> _units = new();
    private int _carryLength;
    private bool _inSync = true;
    private long _unsyncedBytes;
    private int _programNumber = -1;

    /// <param name="maxAccessUnitLength">The largest PES accepted, in bytes; larger ones are dropped.</param>
    /// <param name="maxResyncBytes">How many bytes may pass without a sync byte before the input is declared not TS.</param>
    public TsDemuxer(int maxAccessUnitLength = DefaultMaxAccessUnitLength, int maxResyncBytes = DefaultMaxResyncBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAccessUnitLength, TsPacket.Size);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResyncBytes, TsPacket.Size);
        _maxAccessUnitLength = maxAccessUnitLength;
        _maxResyncBytes = maxResyncBytes;
        _onPat = OnPatSection;
        _onPmt = OnPmtSection;
    }

    /// <summary>The PMT PID from the PAT, or -1 before a valid PAT.</summary>
    public int PmtPid { get; private set; } = -1;

    /// <summary>The PCR PID from the PMT, or -1 before a valid PMT.</summary>
    public int PcrPid { get; private set; } = -1;

    public bool HasPat => PmtPid >= 0;

    public bool HasPmt => PcrPid >= 0;

    /// <summary>Every elementary stream of the current PMT, supported or not.</summary>
    public IReadOnlyList<TsElementaryStream> Streams => _streams;

    /// <summary>Times the sync byte was missing where a packet should start.</summary>
    public long SyncLosses { get; private set; }

    /// <summary>Packets skipped for transport_error_indicator.</summary>
    public long TransportErrors { get; private set; }

    /// <summary>Packets skipped for a reserved adaptation_field_control or an adaptation field longer than the packet.</summary>
    public long MalformedPackets { get; private set; }

    /// <summary>Continuity-counter gaps on the PAT, PMT and demuxed PIDs.</summary>
    public long ContinuityErrors { get; private set; }

    /// <summary>PAT and PMT sections whose CRC did not check.</summary>
    public long CrcErrors { get; private set; }

    /// <summary>PAT and PMT sections (or their framing) that made no sense.</summary>
    public long MalformedSections { get; private set; }

    /// <summary>PES packets with a bad start code, header, PES_packet_length, or no payload.</summary>
    public long MalformedPes { get; private set; }

    /// <summary>PES packets longer than the limit.</summary>
    public long OversizedPes { get; private set; }

    /// <summary>Units lost for any reason: continuity gaps, malformed or oversized PES packets.</summary>
    public long DroppedUnits { get; private set; }

    /// <summary>Units reassembled and not yet read.</summary>
    public int Count => _units.Count;

    /// <summary>Consumes all of <paramref name="data"/>; a partial packet at its end is kept for the next call.</summary>
    /// <exception cref="TsFormatException">No sync byte in more than the resync limit: this is not a transport stream.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_carryLength > 0)
            {
                var take = Math.Min(TsPacket.Size - _carryLength, data.Length);
                data[..take].CopyTo(_carry.AsSpan(_carryLength));
                _carryLength += take;
                data = data[take..];
                if (_carryLength < TsPacket.Size)
                {
                    return;
                }
                _carryLength = 0;
                ProcessPacket(_carry);
                continue;
            }
            if (data[0] != TsPacket.SyncByte)
            {
                data = data[SkipToSync(data)..];
                continue;
            }
            if (data.Length < TsPacket.Size)
            {
                data.CopyTo(_carry);
                _carryLength = data.Length;
                return;
            }
            ProcessPacket(data[..TsPacket.Size]);
            data = data[TsPacket.Size..];
        }
    }

    /// <summary>Ends every PES under way, as at the end of the stream.</summary>
    public void Flush()
    {
        foreach (var assembler in _assemblers.Values)
        {
            if (assembler.IsActive)
            {
                CompleteUnit(assembler);
            }
        }
    }

    public bool TryRead(out TsAccessUnit unit) => _units.TryDequeue(out unit);

    // Returns how many bytes to skip: up to a 0x47 confirmed by another one a packet later (or
    // too near the end to tell), or all of it.
    private int SkipToSync(ReadOnlySpan<byte> data)
    {
        if (_inSync)
        {
            SyncLosses++;
            _inSync = false;
        }
        var skip = data.Length;
        var from = 1;
        while (from < data.Length)
        {
            var found = data[from..].IndexOf(TsPacket.SyncByte);
            if (found < 0)
            {
                break;
            }
            var candidate = from + found;
            if (candidate + TsPacket.Size >= data.Length || data[candidate + TsPacket.Size] == TsPacket.SyncByte)
            {
                skip = candidate;
                break;
            }
            from = candidate + 1;
        }
        _unsyncedBytes += skip;
        if (_unsyncedBytes > _maxResyncBytes)
        {
            throw new TsFormatException($"No MPEG-TS sync byte in {_unsyncedBytes} bytes: not a transport stream.");
        }
        return skip;
    }

    private void ProcessPacket(ReadOnlySpan<byte> packet)
    {
        _inSync = true;
        _unsyncedBytes = 0;
        if ((packet[1] & 0x80) != 0)
        {
            TransportErrors++;
            return;
        }
        var unitStart = (packet[1] & 0x40) != 0;
        var pid = ((packet[1] & 0x1F) << 8) | packet[2];
        var adaptationControl = (packet[3] >> 4) & 0x3;
        var counter = packet[3] & 0x0F;
        if (pid == TsPacket.NullPid)
        {
            return;
        }
        if (adaptationControl == 0)
        {
            MalformedPackets++;
            return;
        }

        var payloadStart = TsPacket.HeaderLength;
        var randomAccess = false;
        var discontinuity = false;
        if ((adaptationControl & 0x2) != 0)
        {
            var adaptationLength = packet[4];
            if (adaptationLength > TsPacket.MaxPayload - 1)
            {
                MalformedPackets++;
                return;
            }
            if (adaptationLength > 0)
            {
                discontinuity = (packet[5] & 0x80) != 0;
                randomAccess = (packet[5] & 0x40) != 0;
            }
            payloadStart += 1 + adaptationLength;
        }
        var hasPayload = (adaptationControl & 0x1) != 0;
        var payload = hasPayload ? packet[payloadStart..] : [];

        if (pid == TsPacket.PatPid)
        {
            OnPsiPacket(_pat, _onPat, payload, unitStart, counter, hasPayload, discontinuity);
        }
        else if (pid == PmtPid)
        {
            OnPsiPacket(_pmt, _onPmt, payload, unitStart, counter, hasPayload, discontinuity);
        }
        else if (_assemblers.TryGetValue(pid, out var assembler))
        {
            OnPesPacket(assembler, payload, unitStart, counter, hasPayload, discontinuity, randomAccess);
        }
    }
}
