namespace Appliance.Protocols.Http;

/// <summary>
/// Returns a shared string for header names that nearly every request carries, so a playlist
/// request allocates only its values. Matching is exact-case: clients send the canonical spelling,
/// and any other spelling just falls back to a fresh string.
/// </summary>
internal static class KnownHeaderNames
{
    public static string? Get(ReadOnlySpan<byte> name)
    {
        return name.Length switch
        {
            4 when name.SequenceEqual("Host"u8) => "Host",
            4 when name.SequenceEqual("host"u8) => "host",
            5 when name.SequenceEqual("Range"u8) => "Range",
            6 when name.SequenceEqual("Accept"u8) => "Accept",
            6 when name.SequenceEqual("Origin"u8) => "Origin",
            6 when name.SequenceEqual("Pragma"u8) => "Pragma",
            7 when name.SequenceEqual("Referer"u8) => "Referer",
            10 when name.SequenceEqual("User-Agent"u8) => "User-Agent",
            10 when name.SequenceEqual("Connection"u8) => "Connection",
            10 when name.SequenceEqual("user-agent"u8) => "user-agent",
            10 when name.SequenceEqual("connection"u8) => "connection",
            13 when name.SequenceEqual("Cache-Control"u8) => "Cache-Control",
            14 when name.SequenceEqual("Content-Length"u8) => "Content-Length",
            15 when name.SequenceEqual("Accept-Encoding"u8) => "Accept-Encoding",
            15 when name.SequenceEqual("Accept-Language"u8) => "Accept-Language",
            15 when name.SequenceEqual("X-Forwarded-For"u8) => "X-Forwarded-For",
            17 when name.SequenceEqual("If-Modified-Since"u8) => "If-Modified-Since",
            17 when name.SequenceEqual("Transfer-Encoding"u8) => "Transfer-Encoding",
            _ => null,
        };
    }
}
