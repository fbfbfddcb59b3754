using System.Buffers;

namespace Appliance.Protocols.Http;

/// <summary>Bounded searches over a reader's unread bytes, segment by segment with vectorised IndexOf.</summary>
internal static class SequenceSearch
{
    /// <summary>
    /// Offset of the first <paramref name="value"/> within the first <paramref name="limit"/> unread
    /// bytes, or -1. The bound keeps a peer that never sends the byte from costing a scan of everything buffered.
    /// </summary>
    public static long IndexOf(in SequenceReader<byte> reader, byte value, long limit)
    {
        var first = reader.UnreadSpan;
        int index = first[..(int)Math.Min(first.Length, limit)].IndexOf(value);
        if (index >= 0 || first.Length >= limit || reader.Remaining == first.Length)
        {
            return index;
        }

        long offset = 0;
        foreach (var memory in reader.UnreadSequence)
        {
            var span = memory.Span;
            if (span.Length > limit - offset)
            {
                span = span[..(int)(limit - offset)];
            }
            index = span.IndexOf(value);
            if (index >= 0)
            {
                return offset + index;
            }
            offset += span.Length;
            if (offset >= limit)
            {
                break;
            }
        }
        return -1;
    }
}
