namespace Appliance.Relay.Routing;

/// <summary>
/// Reads just the status line of an HTTP/1.x response from a connection: a health probe needs nothing
/// more, and the bound keeps a hostile or broken upstream from feeding us an endless line.
/// </summary>
internal static class HttpStatusLine
{
    // "HTTP/1.1 200 " plus a generous reason phrase.
    public const int MaxLineBytes = 512;

    /// <summary>The status code, or an <see cref="InvalidDataException"/> for a malformed or over-long line or a close before one.</summary>
    public static async ValueTask<int> ReadAsync(Stream connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxLineBytes];
        int filled = 0;
        while (true)
        {
            int read = await connection.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException(filled == 0 ? "closed without an answer" : "closed within the status line");
            }
            int lf = buffer.AsSpan(filled, read).IndexOf((byte)'\n');
            filled += read;
            if (lf >= 0)
            {
                return TryParse(buffer.AsSpan(0, filled - read + lf), out int status)
                    ? status
                    : throw new InvalidDataException("malformed status line");
            }
            if (filled == buffer.Length)
            {
                throw new InvalidDataException($"status line longer than {MaxLineBytes} bytes");
            }
        }
    }

    /// <summary>Parses <c>HTTP/1.x SP 3DIGIT [SP reason]</c> (an optional trailing CR already in the line).</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out int status)
    {
        status = 0;
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' '
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }
        for (int i = 9; i < 12; i++)
        {
            if (!char.IsAsciiDigit((char)line[i]))
            {
                return false;
            }
            status = status * 10 + (line[i] - '0');
        }
        return status >= 100;
    }
}
