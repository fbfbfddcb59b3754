namespace Appliance.Codecs.MpegTs;

/// <summary>Reads the PAT and PMT sections (ISO/IEC 13818-1, 2.4.4.3 and 2.4.4.8) after checking their CRC.</summary>
internal static class PsiParser
{
    public enum Result
    {
        Ok,

        /// <summary>Another table, a section not yet current, or a program we do not follow: skipped, not an error.</summary>
        Ignored,
        CrcMismatch,
        Malformed,
    }

    private const int PatTableId = 0x00;
    private const int PmtTableId = 0x02;

    // table_id .. last_section_number, plus the CRC.
    private const int MinSectionLength = 8 + 4;

    /// <summary>The first program's number and PMT PID (program 0 names the network PID and is skipped).</summary>
    public static Result ParsePat(ReadOnlySpan<byte> section, out int programNumber, out int pmtPid)
    {
        programNumber = 0;
        pmtPid = 0;
        var check = CheckHeader(section, PatTableId);
        if (check != Result.Ok)
        {
            return check;
        }
        var entries = section[8..^4];
        if (entries.Length % 4 != 0)
        {
            return Result.Malformed;
        }
        for (var i = 0; i < entries.Length; i += 4)
        {
            var number = (entries[i] << 8) | entries[i + 1];
            if (number != 0)
            {
                programNumber = number;
                pmtPid = ((entries[i + 2] & 0x1F) << 8) | entries[i + 3];
                return Result.Ok;
            }
        }
        return Result.Ignored;
    }

    /// <summary>Fills <paramref name="streams"/> with the PMT's elementary streams, in order.</summary>
    public static Result ParsePmt(ReadOnlySpan<byte> section, int programNumber, List<TsElementaryStream> streams, out int pcrPid)
    {
        pcrPid = 0;
        var check = CheckHeader(section, PmtTableId);
        if (check != Result.Ok)
        {
            return check;
        }
        if (((section[3] << 8) | section[4]) != programNumber)
        {
            return Result.Ignored;
        }
        var end = section.Length - 4;
        if (end < 12)
        {
            return Result.Malformed;
        }
        pcrPid = ((section[8] & 0x1F) << 8) | section[9];
        var offset = 12 + (((section[10] & 0x0F) << 8) | section[11]);
        streams.Clear();
        while (offset < end)
        {
            if (end - offset < 5)
            {
                return Result.Malformed;
            }
            var type = (TsStreamType)section[offset];
            var pid = ((section[offset + 1] & 0x1F) << 8) | section[offset + 2];
            var infoLength = ((section[offset + 3] & 0x0F) << 8) | section[offset + 4];
            offset += 5 + infoLength;
            streams.Add(new TsElementaryStream(pid, type));
        }
        return offset == end ? Result.Ok : Result.Malformed;
    }

    private static Result CheckHeader(ReadOnlySpan<byte> section, int tableId)
    {
        if (section[0] != tableId)
        {
            return Result.Ignored;
        }
        if (section.Length < MinSectionLength || (section[1] & 0x80) == 0)
        {
            return Result.Malformed;
        }
        if (Crc32Mpeg2.Compute(section) != 0)
        {
            return Result.CrcMismatch;
        }
        // current_next_indicator 0: a table announced for later; the current one stays in force.
        return (section[5] & 0x01) == 0 ? Result.Ignored : Result.Ok;
    }
}
