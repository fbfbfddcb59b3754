using System.Net;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Node.Srt;
using Appliance.Transport.Srt;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Server;

// The SRT listener: optional, and the one listener that needs a library the system may lack.
public sealed partial class ApplianceServer
{
    private SrtListener? _srt;

    /// <summary>The SRT listener's address, or null when srt.listen is off.</summary>
    public IPEndPoint? SrtEndPoint => _srt?.LocalEndPoint;

    /// <summary>
    /// Opens srt.listen. Without libsrt a configured listener stops the start with the reason; with
    /// none configured the node says once that it runs without SRT.
    /// </summary>
    private SrtListener? OpenSrt(SrtConfig srt, ILogger logger)
    {
        var available = SrtLibrary.TryLoad(out var problem);
        if (srt.Listen.Length == 0)
        {
            if (!available)
            {
                SrtLog.Unavailable(logger, problem);
            }
            return null;
        }
        ConfigValidator.TryParseEndPoint(srt.Listen, out var endPoint);
        if (!available)
        {
            throw new ListenerException($"srt.listen {endPoint}: {problem}", new SrtException(problem));
        }
        SrtListener listener;
        try
        {
            listener = new SrtListener(endPoint, h => SrtHandshakes.Decide(Context, h), c => AdmitSrtAsync(c));
        }
        catch (SrtException ex)
        {
            throw new ListenerException($"srt.listen {endPoint}: {ex.Message}", ex);
        }
        listener.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "srt", "accept");
        listener.HandshakeFailed = (peer, streamId) => SrtLog.HandshakeFailed(Context.Logger, peer?.ToString() ?? "unknown", streamId);
        return listener;
    }

    private async Task AdmitSrtAsync(SrtConnection connection)
    {
        var limits = Context.Config.Limits;
        var address = connection.RemoteEndPoint?.Address;
        if (Context.Connections.TryEnter(address, limits.MaxConnections, limits.MaxConnectionsPerIp) is { } refusal)
        {
            Context.Traffic.OnRefused("srt");
            LiveLog.Rejected(Context.Logger, "srt", connection.RemoteEndPoint?.ToString() ?? "unknown", refusal);
            connection.Abort();
            return;
        }
        Context.Traffic.OnAccepted("srt");
        try
        {
            await new SrtServerSession(connection, Context).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Context.Srt.OnFinished(connection.Stats());
            Context.Connections.Leave(address);
        }
    }
}
