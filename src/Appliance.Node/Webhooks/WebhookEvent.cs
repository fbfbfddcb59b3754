namespace Appliance.Node.Webhooks;

/// <summary>
/// The JSON body of one event. The keys that do not apply to an event are left out (a pull has
/// no client or session; only the end events have bytes and duration). Made when the event
/// happens, serialized by the delivery side once, so a retry sends the same bytes.
/// </summary>
public sealed class WebhookEvent
{
    /// <summary>publish, unpublish, play, stop, pull-start, pull-failover or pull-end.</summary>
    public required string Event { get; init; }

    /// <summary>Unique within one run of the node, kept by retries: a backend de-duplicates by node and id.</summary>
    public required long Id { get; init; }

    /// <summary>When it happened, UTC.</summary>
    public required DateTime Time { get; init; }

    /// <summary>The node that saw it (node.id, else the host name).</summary>
    public required string Node { get; init; }

    public required string Domain { get; init; }

    public required string App { get; init; }

    public required string Stream { get; init; }

    /// <summary>The session's protocol as the access log names it: rtmp-publish, rtmp-play, http-flv, http-ts.</summary>
    public string? Protocol { get; init; }

    /// <summary>The client's address and port.</summary>
    public string? Client { get; init; }

    /// <summary>The session's id, as `appliancectl sessions` and `kick` know it; the end event has the start's.</summary>
    public long? SessionId { get; init; }

    /// <summary>The query the client sent with the stream name (tokens and the customer's own parameters).</summary>
    public string? Params { get; init; }

    /// <summary>The end events: bytes received from the client (or the upstream), and sent to it.</summary>
    public long? BytesIn { get; init; }

    public long? BytesOut { get; init; }

    /// <summary>The end events: how long since the start event.</summary>
    public long? DurationMs { get; init; }

    /// <summary>The end and failover events: why.</summary>
    public string? Reason { get; init; }

    /// <summary>Pull events: the upstream the stream comes from now (credentials in its query masked).</summary>
    public string? Upstream { get; init; }

    /// <summary>pull-failover: the upstream it came from before.</summary>
    public string? PreviousUpstream { get; init; }
}
