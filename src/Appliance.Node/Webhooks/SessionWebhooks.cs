using Appliance.Core.Time;
using Appliance.Node.Config;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Webhooks;

/// <summary>
/// A session's webhooks from its start event (publish, play) to its end event (unpublish, stop),
/// which carries the same session id, the bytes and the duration. The end goes to the app's
/// webhooks as configured then, so a reload in between sends it where the operator now wants it.
/// </summary>
public sealed class SessionWebhooks
{
    // The query travels in the body; a client must not make the node POST megabytes on its behalf.
    private const int MaxParamsChars = 8192;

    private readonly WebhookHub _hub;
    private readonly string _endEvent;
    private readonly StreamKey _key;
    private readonly long _sessionId;
    private readonly string _protocol;
    private readonly string _client;
    private readonly long _startedMs = MonotonicClock.NowMs;

    private SessionWebhooks(WebhookHub hub, string endEvent, StreamKey key, long sessionId, string protocol, string client)
    {
        _hub = hub;
        _endEvent = endEvent;
        _key = key;
        _sessionId = sessionId;
        _protocol = protocol;
        _client = client;
    }

    /// <summary>
    /// Sends <paramref name="startEvent"/> (publish or play) if the app wants it; what the end event
    /// needs, or null when the app has no webhooks.
    /// </summary>
    public static SessionWebhooks? Start(WebhookHub? hub, string startEvent, StreamKey key, long sessionId, string protocol, string client, string? query)
    {
        if (hub?.For(key.Domain, key.App) is not { } app)
        {
            return null;
        }
        if (app.Wants(startEvent))
        {
            app.Send(new WebhookEvent
            {
                Event = startEvent,
                Id = hub.NextId(),
                Time = DateTime.UtcNow,
                Node = hub.NodeId,
                Domain = key.Domain,
                App = key.App,
                Stream = key.Name,
                Protocol = protocol,
                Client = client,
                SessionId = sessionId,
                Params = query is { Length: > 0 and <= MaxParamsChars } ? query : null,
            });
        }
        var endEvent = startEvent == WebhookEventNames.Publish ? WebhookEventNames.Unpublish : WebhookEventNames.Stop;
        return new SessionWebhooks(hub, endEvent, key, sessionId, protocol, client);
    }

    /// <summary>Sends the end event (unpublish or stop) if the app wants it. Call once.</summary>
    public void End(long bytesIn, long bytesOut, string reason)
    {
        if (_hub.For(_key.Domain, _key.App) is not { } app || !app.Wants(_endEvent))
        {
            return;
        }
        app.Send(new WebhookEvent
        {
            Event = _endEvent,
            Id = _hub.NextId(),
            Time = DateTime.UtcNow,
            Node = _hub.NodeId,
            Domain = _key.Domain,
            App = _key.App,
            Stream = _key.Name,
            Protocol = _protocol,
            Client = _client,
            SessionId = _sessionId,
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            DurationMs = MonotonicClock.NowMs - _startedMs,
            Reason = reason,
        });
    }
}
