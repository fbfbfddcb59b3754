using System.Net;
using Appliance.Relay.Routing;
using Appliance.Relay.Urls;
using Appliance.Transport.Sockets;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Pull;

/// <summary>
/// Opens an SRT connection to a parent or push target: the host resolved (through the node's
/// connector, as TCP pulls are), then libsrt's blocking connect off the caller's thread. A refusal
/// becomes an <see cref="UpstreamException"/> naming why in words (<see cref="SrtRefusal"/>).
/// </summary>
internal static class SrtUpstreamConnection
{
    /// <summary>The settings the node calls with: libsrt's live-mode defaults (latency 120 ms, payload 1316), then the URL's options.</summary>
    private static readonly SrtSettings NodeDefaults = new();

    /// <param name="timeoutMs">For the connect; <paramref name="ct"/> bounds the lookup too.</param>
    public static async Task<SrtConnection> OpenAsync(UpstreamUrl url, string streamId, TcpConnector connector, int timeoutMs, CancellationToken ct)
    {
        var srt = url.Srt ?? throw new InvalidOperationException("not an srt:// URL");
        ResolvedEndPoint target;
        try
        {
            target = await connector.ResolveAsync(url.Host, url.Port, ct).ConfigureAwait(false);
        }
        catch (ConnectException ex)
        {
            throw new UpstreamException(ex.Message);
        }
        var endPoint = new IPEndPoint(target.Addresses[0], url.Port);
        var settings = srt.Settings(NodeDefaults);
        var connecting = SrtCaller.ConnectAsync(endPoint, streamId, settings, timeoutMs);
        try
        {
            return await connecting.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // libsrt's connect cannot be called off: a connection it still makes is closed at once.
            _ = connecting.ContinueWith(static t => t.Result.Abort(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
        catch (SrtException ex)
        {
            var reason = SrtRefusal.Describe(url, ex, timeoutMs, out var missing);
            throw new UpstreamException(reason, streamMissing: missing);
        }
    }
}
