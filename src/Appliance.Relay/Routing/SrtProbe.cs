using System.Diagnostics;
using System.Net;
using Appliance.Protocols.Srt;
using Appliance.Relay.Urls;
using Appliance.Transport.Sockets;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Routing;

/// <summary>
/// Probes an srt:// candidate over SRT itself (a TCP connect would tell nothing of a UDP path):
/// a handshake with the probe stream id (<see cref="SrtStreamId.Probe"/>), which an appliance
/// listener refuses at once without a log line. Any access-control answer (reject 1000 and up),
/// or an accepted connection (closed at once), is a success, and the time to it the connect time;
/// no answer within the timeout, or a refusal of SRT's own (a wrong passphrase), is a failure.
/// </summary>
internal static class SrtProbe
{
    private const int AccessControlRejects = 1000;

    public static async Task<ProbeResult> MeasureAsync(UpstreamUrl url, TcpConnector connector, int timeoutMs, CancellationToken deadline, CancellationToken caller)
    {
        ResolvedEndPoint target;
        try
        {
            target = await connector.ResolveAsync(url.Host, url.Port, deadline).ConfigureAwait(false);
        }
        catch (ConnectException ex)
        {
            return ProbeResult.Failed(ex.Message);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return ProbeResult.Failed($"srt {ConnectException.HostPort(url.Host, url.Port)}: name lookup not finished within {timeoutMs} ms");
        }
        var endPoint = new IPEndPoint(target.Addresses[0], url.Port);
        var settings = url.Srt!.Settings(new SrtSettings());
        long started = Stopwatch.GetTimestamp();
        var connecting = SrtCaller.ConnectAsync(endPoint, SrtStreamId.Probe, settings, timeoutMs);
        try
        {
            (await connecting.WaitAsync(caller).ConfigureAwait(false)).Abort();
            return new ProbeResult(true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, null, null);
        }
        catch (SrtException ex) when (ex.RejectReason >= AccessControlRejects)
        {
            return new ProbeResult(true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, null, null);
        }
        catch (SrtException ex)
        {
            return ProbeResult.Failed(SrtRefusal.Describe(url, ex, timeoutMs, out _));
        }
        catch (OperationCanceledException)
        {
            _ = connecting.ContinueWith(static t => t.Result.Abort(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }
}
