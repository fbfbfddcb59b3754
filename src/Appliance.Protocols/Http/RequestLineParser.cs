namespace Appliance.Protocols.Http;

/// <summary>
/// request-line = method SP request-target SP HTTP-version, with exactly one SP between parts
/// (RFC 9112 §3). Validation allocates nothing, so a garbage line is refused before the headers
/// behind it have even arrived.
/// </summary>
internal static class RequestLineParser
{
    /// <returns>0 when valid, otherwise the status to answer with (400 or 505).</returns>
    public static int Parse(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> method, out ReadOnlySpan<byte> target, out int versionMinor)
    {
        method = default;
        target = default;
        versionMinor = 0;

        int firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return 400;
        }
        method = line[..firstSpace];
        if (method.IndexOfAnyExcept(HttpCharacters.Token) >= 0)
        {
            return 400;
        }
        int lastSpace = line.LastIndexOf((byte)' ');
        if (lastSpace == firstSpace)
        {
            return 400;
        }
        int versionStatus = ParseVersion(line[(lastSpace + 1)..], out versionMinor);
        if (versionStatus != 0)
        {
            return versionStatus;
        }
        target = line[(firstSpace + 1)..lastSpace];
        // Visible ASCII only: a second SP, a control byte or raw UTF-8 in the target is malformed.
        if (target.IsEmpty || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            return 400;
        }
        return 0;
    }

    /// <summary>A well-formed version other than 1.0/1.1 is 505; anything else that is not a version is 400.</summary>
    private static int ParseVersion(ReadOnlySpan<byte> version, out int minor)
    {
        minor = 0;
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || version[6] != (byte)'.'
            || !char.IsAsciiDigit((char)version[5]) || !char.IsAsciiDigit((char)version[7]))
        {
            return 400;
        }
        if (version[5] != (byte)'1' || version[7] > (byte)'1')
        {
            return 505;
        }
        minor = version[7] - '0';
        return 0;
    }

    /// <summary>Shared strings for the methods a media server sees, so they cost no allocation.</summary>
    public static string MethodString(ReadOnlySpan<byte> method)
    {
        return method.Length switch
        {
            3 when method.SequenceEqual("GET"u8) => "GET",
            3 when method.SequenceEqual("PUT"u8) => "PUT",
            4 when method.SequenceEqual("HEAD"u8) => "HEAD",
            4 when method.SequenceEqual("POST"u8) => "POST",
            5 when method.SequenceEqual("PATCH"u8) => "PATCH",
            6 when method.SequenceEqual("DELETE"u8) => "DELETE",
            7 when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
            _ => System.Text.Encoding.ASCII.GetString(method),
        };
    }
}
