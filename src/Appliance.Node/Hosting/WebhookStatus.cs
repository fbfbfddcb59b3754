namespace Appliance.Node.Hosting;

/// <summary>Webhook deliveries so far (see <see cref="Webhooks.WebhookCounters"/>), and the events queued now.</summary>
public sealed record WebhookStatus(long Delivered, long Failed, long Dropped, long Retries, int Queued)
{
    public static WebhookStatus None { get; } = new(0, 0, 0, 0, 0);

    public static WebhookStatus Of(Webhooks.WebhookHub hub)
    {
        var counters = hub.Counters;
        return new WebhookStatus(counters.Delivered, counters.Failed, counters.Dropped, counters.Retries, hub.Pending);
    }
}
