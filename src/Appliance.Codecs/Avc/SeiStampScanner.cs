namespace Appliance.Codecs.Avc;

/// <summary>
/// Finds <see cref="SeiStamp"/> stamps in a byte stream that arrives in pieces cut anywhere (TS
/// packet payloads, an mdat read as it streams in): a vectorized search for the UUID inside a
/// piece, and a few bytes of state for a UUID or time cut between two pieces. Emulation
/// prevention bytes inside the time are removed. Allocates nothing after construction.
/// </summary>
public struct SeiStampScanner
{
    private int _matched;
    private int _timeBytes;
    private int _zeros;
    private long _time;

    /// <summary>Forgets a stamp in progress (a new, unrelated piece of data follows).</summary>
    public void Reset() => this = default;

    /// <summary>
    /// Consumes <paramref name="data"/> up to the end of the next complete stamp and returns true
    /// with its time; or consumes all of it and returns false, keeping what a stamp cut at its end
    /// needs.
    /// </summary>
    public bool TryNext(ref ReadOnlySpan<byte> data, out long unixMicroseconds)
    {
        unixMicroseconds = 0;
        var uuid = SeiStamp.Uuid;
        while (!data.IsEmpty)
        {
            if (_matched == SeiStamp.UuidLength)
            {
                if (ReadTime(ref data, out unixMicroseconds))
                {
                    return true;
                }
                continue;
            }
            if (_matched > 0)
            {
                // The first byte of the UUID appears in it only once: on a mismatch, only the byte at hand can start a new match.
                var b = data[0];
                data = data[1..];
                _matched = b == uuid[_matched] ? _matched + 1 : b == uuid[0] ? 1 : 0;
                continue;
            }
            var at = data.IndexOf(uuid);
            if (at >= 0)
            {
                data = data[(at + SeiStamp.UuidLength)..];
                _matched = SeiStamp.UuidLength;
                continue;
            }
            _matched = PrefixAtEnd(data, uuid);
            data = default;
        }
        return false;
    }

    // The length of the longest tail of data that is a start of the UUID (shorter than the UUID).
    private static int PrefixAtEnd(ReadOnlySpan<byte> data, ReadOnlySpan<byte> uuid)
    {
        var tail = data[Math.Max(0, data.Length - (SeiStamp.UuidLength - 1))..];
        var start = tail.LastIndexOf(uuid[0]);
        if (start < 0)
        {
            return 0;
        }
        var candidate = tail[start..];
        return uuid.StartsWith(candidate) ? candidate.Length : 0;
    }

    private bool ReadTime(ref ReadOnlySpan<byte> data, out long unixMicroseconds)
    {
        unixMicroseconds = 0;
        while (!data.IsEmpty)
        {
            var b = data[0];
            data = data[1..];
            if (_zeros >= 2 && b == 3)
            {
                _zeros = 0;
                continue;
            }
            _zeros = b == 0 ? _zeros + 1 : 0;
            _time = (_time << 8) | b;
            if (++_timeBytes == SeiStamp.TimeLength)
            {
                unixMicroseconds = _time;
                Reset();
                return true;
            }
        }
        return false;
    }
}
