using System.Net;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Sessions;

/// <summary>
/// Who an HLS session is: one player of one stream, known by its client address and a hash of
/// its User-Agent (the agent itself is not kept, so a flood of long agents costs no memory).
/// </summary>
public readonly record struct HlsSessionKey(StreamKey Stream, IPAddress Address, int Agent)
{
    public static HlsSessionKey Of(StreamKey stream, IPAddress address, string? userAgent) =>
        new(stream, address, userAgent is null ? 0 : userAgent.GetHashCode(StringComparison.Ordinal));
}
