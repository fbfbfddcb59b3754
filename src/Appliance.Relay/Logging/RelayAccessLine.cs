using Appliance.Relay.Urls;
using Appliance.Core.Time;
using Appliance.Streaming.Logging;
using Appliance.Transport.Accounting;
using Appliance.Streaming.Streams;

namespace Appliance.Relay.Logging;

/// <summary>
/// The access line of a connection this node opened (a pull attempt that fed a stream, a push
/// session): like a session's, with the peer's host:port as the client.
/// </summary>
internal static class RelayAccessLine
{
    public static void Write(AccessLog log, string protocol, UpstreamUrl peer, StreamKey stream, bool failed, IConnectionTraffic connection, long openedMs, string reason) =>
        log.Write(protocol, $"{UrlSyntax.ForUrl(peer.Host)}:{peer.Port}", stream.ToString(), failed ? "error" : "ok",
            connection.BytesIn, connection.BytesOut, (MonotonicClock.NowMs - openedMs) / 1000.0, reason);
}
