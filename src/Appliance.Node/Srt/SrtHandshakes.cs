using Appliance.Node.Config;
using Appliance.Node.Hosting;
using Appliance.Protocols.Srt;
using Appliance.Transport.Srt;

namespace Appliance.Node.Srt;

/// <summary>
/// The node's answer to each SRT handshake, before libsrt accepts it: the stream id must parse and
/// name a known app, whose latency and passphrase the connection then gets. Auth (which may ask a
/// remote callback) comes after accept, in the session. Runs on libsrt's thread: quick, throws nothing.
/// </summary>
internal static class SrtHandshakes
{
    public static SrtHandshakeDecision Decide(ServerContext context, SrtHandshake handshake)
    {
        var config = context.Config;
        var client = handshake.Peer?.ToString() ?? "unknown";
        if (context.Draining)
        {
            return Refuse(context, client, SrtHandshakeDecision.Conflict, "the node is draining");
        }
        if (handshake.StreamId == SrtStreamId.Probe)
        {
            // Another node's route prober: the answer itself is what it measures; every few seconds, so no line.
            return SrtHandshakeDecision.Reject(SrtHandshakeDecision.BadRequest);
        }
        if (SrtStreamId.Parse(handshake.StreamId, out var problem) is not { } id)
        {
            return Refuse(context, client, SrtHandshakeDecision.BadRequest, problem);
        }
        if (!context.Domains.TryResolve(id.Host, id.App, out var domain, out var app))
        {
            return Refuse(context, client, SrtHandshakeDecision.NotFound, domain is null ? $"no domain for host '{id.Host}'" : $"unknown app '{id.App}' in domain {domain.Name}");
        }
        return SrtHandshakeDecision.Accept(Settings(config.Srt, app));
    }

    public static SrtSettings Settings(SrtConfig srt, AppConfig app) => new()
    {
        LatencyMs = app.Srt.LatencyMs ?? srt.LatencyMs,
        PayloadSize = srt.PayloadSize,
        MaxBandwidth = srt.MaxBandwidth,
        OverheadPercent = srt.OverheadPercent,
        Passphrase = app.Srt.Passphrase.Length > 0 ? app.Srt.Passphrase : null,
        KeyLength = app.Srt.KeyLength,
    };

    private static SrtHandshakeDecision Refuse(ServerContext context, string client, int reason, string why)
    {
        SrtLog.HandshakeRefused(context.Logger, client, why);
        return SrtHandshakeDecision.Reject(reason);
    }
}
