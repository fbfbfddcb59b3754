using System.Buffers.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// The Date header value (RFC 1123, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"), formatted at most once
/// per second and shared by every response in that second.
/// </summary>
internal static class HttpDate
{
    public const int Length = 29;

    private static volatile Entry s_current = new(-1, new byte[Length]);

    /// <summary>The current value; the returned array is never mutated, so it may be held.</summary>
    public static byte[] Current
    {
        get
        {
            var now = DateTime.UtcNow;
            long second = now.Ticks / TimeSpan.TicksPerSecond;
            var entry = s_current;
            if (entry.Second != second)
            {
                // Racing threads each build an identical entry; whichever lands last is as good.
                entry = new Entry(second, Format(now));
                s_current = entry;
            }
            return entry.Bytes;
        }
    }

    public static byte[] Format(DateTime utc)
    {
        var bytes = new byte[Length];
        Utf8Formatter.TryFormat(utc, bytes, out _, new System.Buffers.StandardFormat('R'));
        return bytes;
    }

    private sealed record Entry(long Second, byte[] Bytes);
}
