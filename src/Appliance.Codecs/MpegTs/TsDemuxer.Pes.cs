namespace Appliance.Codecs.MpegTs;

/// <summary>PES reassembly per elementary stream, and the access units it yields.</summary>
public sealed partial class TsDemuxer
{
    private void OnPesPacket(PesAssembler assembler, ReadOnlySpan<byte> payload, bool unitStart, int counter, bool hasPayload, bool discontinuity, bool randomAccess)
    {
        var last = assembler.LastContinuityCounter;
        var check = ContinuityCheck.Check(ref last, counter, hasPayload, discontinuity);
        assembler.LastContinuityCounter = last;
        if (discontinuity)
        {
            assembler.PendingDiscontinuity = true;
        }
        if (check == ContinuityCheck.Result.Duplicate || !hasPayload)
        {
            return;
        }
        if (check == ContinuityCheck.Result.Gap)
        {
            ContinuityErrors++;
            assembler.PendingDiscontinuity = true;
            if (assembler.IsActive)
            {
                assembler.Abort();
                DroppedUnits++;
            }
        }
        if (unitStart)
        {
            if (assembler.IsActive)
            {
                CompleteUnit(assembler);
            }
            assembler.Begin(randomAccess);
        }
        else if (!assembler.IsActive)
        {
            return;
        }

        switch (assembler.Append(payload))
        {
            case PesAssembler.AppendResult.Complete:
                CompleteUnit(assembler);
                break;
            case PesAssembler.AppendResult.Oversized:
                OversizedPes++;
                Drop(assembler);
                break;
            case PesAssembler.AppendResult.BadPrefix:
                MalformedPes++;
                Drop(assembler);
                break;
        }
    }

    private void Drop(PesAssembler assembler)
    {
        assembler.Abort();
        DroppedUnits++;
    }

    private void CompleteUnit(PesAssembler assembler)
    {
        assembler.Abort();
        var pes = assembler.Data;
        if (assembler.IsShort || !PesHeader.TryParse(pes, out var header) || header.HeaderLength == pes.Length)
        {
            MalformedPes++;
            DroppedUnits++;
            return;
        }
        var payload = pes[header.HeaderLength..];
        var stream = assembler.Stream;
        var isKey = stream.StreamType switch
        {
            TsStreamType.AacAdts => true,
            TsStreamType.H265 => assembler.RandomAccess || NalUnitTypes.StartsWithRandomAccess(payload, hevc: true),
            _ => assembler.RandomAccess || NalUnitTypes.StartsWithRandomAccess(payload, hevc: false),
        };
        _units.Enqueue(new TsAccessUnit(stream.Pid, stream.StreamType, header.Pts, header.Dts, isKey, assembler.PendingDiscontinuity, payload.ToArray()));
        assembler.PendingDiscontinuity = false;
    }
}
