using Appliance.Core.Time;
using Appliance.Live.Logging;
using Appliance.Live.Sessions;
using Appliance.Live.Streams;

namespace Appliance.Live.Relay;

/// <summary>
/// The access line of a connection this node opened (a pull attempt that fed a stream, a push
/// session): like a session's, with the peer's host:port as the client.
/// </summary>
internal static class RelayAccessLine
{
    public static void Write(AccessLog log, string protocol, UpstreamUrl peer, StreamKey stream, bool failed, IOutboundTraffic connection, long openedMs, string reason) =>
        log.Write(protocol, $"{UrlText.ForUrl(peer.Host)}:{peer.Port}", stream.ToString(), failed ? "error" : "ok",
            connection.BytesReceived, connection.BytesSent, (MonotonicClock.NowMs - openedMs) / 1000.0, reason);
}
