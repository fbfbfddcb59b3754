using Appliance.Node.Config;
using Appliance.Relay.Hosting;
using Appliance.Relay.Urls;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Webhooks;

/// <summary>The relay's pulls, told to their app's webhooks: pull-start, pull-failover, pull-end. Upstream URLs go with their query values masked.</summary>
public sealed class PullWebhooks(WebhookHub hub) : IPullEvents
{
    public void Started(StreamKey stream, string upstream) =>
        Send(WebhookEventNames.PullStart, stream, upstream);

    public void FailedOver(StreamKey stream, string from, string to, string reason) =>
        Send(WebhookEventNames.PullFailover, stream, to, previous: from, reason: reason);

    public void Ended(StreamKey stream, string upstream, string reason, long bytesIn, long bytesOut, long durationMs) =>
        Send(WebhookEventNames.PullEnd, stream, upstream, reason: reason, bytesIn: bytesIn, bytesOut: bytesOut, durationMs: durationMs);

    private void Send(string name, StreamKey key, string upstream, string? previous = null, string? reason = null,
        long? bytesIn = null, long? bytesOut = null, long? durationMs = null)
    {
        if (hub.For(key.Domain, key.App) is not { } app || !app.Wants(name))
        {
            return;
        }
        app.Send(new WebhookEvent
        {
            Event = name,
            Id = hub.NextId(),
            Time = DateTime.UtcNow,
            Node = hub.NodeId,
            Domain = key.Domain,
            App = key.App,
            Stream = key.Name,
            Upstream = UrlSyntax.MaskQueryValues(upstream),
            PreviousUpstream = previous is null ? null : UrlSyntax.MaskQueryValues(previous),
            Reason = reason,
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            DurationMs = durationMs,
        });
    }
}
