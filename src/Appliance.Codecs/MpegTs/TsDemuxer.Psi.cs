using System.Runtime.InteropServices;

namespace Appliance.Codecs.MpegTs;

/// <summary>The PAT and PMT: which program to follow and which of its streams to reassemble.</summary>
public sealed partial class TsDemuxer
{
    private void OnPsiPacket(PsiSectionAssembler assembler, PsiSectionAssembler.SectionHandler handler, ReadOnlySpan<byte> payload, bool unitStart, int counter, bool hasPayload, bool discontinuity)
    {
        var last = assembler.LastContinuityCounter;
        var check = ContinuityCheck.Check(ref last, counter, hasPayload, discontinuity);
        assembler.LastContinuityCounter = last;
        if (check == ContinuityCheck.Result.Duplicate || !hasPayload)
        {
            return;
        }
        if (check == ContinuityCheck.Result.Gap)
        {
            ContinuityErrors++;
            assembler.Reset();
        }
        if (!assembler.Feed(payload, unitStart, handler))
        {
            MalformedSections++;
        }
    }

    private void OnPatSection(ReadOnlySpan<byte> section)
    {
        switch (PsiParser.ParsePat(section, out var programNumber, out var pmtPid))
        {
            case PsiParser.Result.Ok:
                if (pmtPid != PmtPid || programNumber != _programNumber)
                {
                    // A new program: forget the old PMT and its streams until the new PMT arrives.
                    _programNumber = programNumber;
                    PmtPid = pmtPid;
                    PcrPid = -1;
                    _pmt.Reset();
                    _pmt.LastContinuityCounter = -1;
                    _streams.Clear();
                    _assemblers.Clear();
                }
                break;
            case PsiParser.Result.CrcMismatch:
                CrcErrors++;
                break;
            case PsiParser.Result.Malformed:
                MalformedSections++;
                break;
        }
    }

    private void OnPmtSection(ReadOnlySpan<byte> section)
    {
        switch (PsiParser.ParsePmt(section, _programNumber, _parsedStreams, out var pcrPid))
        {
            case PsiParser.Result.Ok:
                ApplyPmt(pcrPid);
                break;
            case PsiParser.Result.CrcMismatch:
                CrcErrors++;
                break;
            case PsiParser.Result.Malformed:
                MalformedSections++;
                break;
        }
    }

    // Keeps the assembler (and the unit under way) of every stream whose PID and type stay the same.
    private void ApplyPmt(int pcrPid)
    {
        // The PMT repeats every 100 ms or so; only a change costs anything.
        if (pcrPid == PcrPid && CollectionsMarshal.AsSpan(_parsedStreams).SequenceEqual(CollectionsMarshal.AsSpan(_streams)))
        {
            return;
        }
        PcrPid = pcrPid;
        _streams.Clear();
        _streams.AddRange(_parsedStreams);
        var kept = new Dictionary<int, PesAssembler>();
        foreach (var stream in _streams)
        {
            if (!stream.IsSupported || kept.Count == MaxStreams || stream.Pid == TsPacket.PatPid || stream.Pid == PmtPid
                || stream.Pid == TsPacket.NullPid || kept.ContainsKey(stream.Pid))
            {
                continue;
            }
            kept[stream.Pid] = _assemblers.TryGetValue(stream.Pid, out var existing) && existing.Stream == stream
                ? existing
                : new PesAssembler(stream, _maxAccessUnitLength);
        }
        _assemblers.Clear();
        foreach (var (pid, assembler) in kept)
        {
            _assemblers[pid] = assembler;
        }
    }
}
