namespace Appliance.Node.Webhooks;

/// <summary>One app's webhooks: the events it wants, and the queues of its URLs.</summary>
public sealed class AppWebhooks
{
    private readonly WebhookTarget[] _targets;
    private readonly HashSet<string> _events;

    internal AppWebhooks(WebhookTarget[] targets, IEnumerable<string> events)
    {
        _targets = targets;
        _events = new HashSet<string>(events, StringComparer.Ordinal);
    }

    /// <summary>The queues of the app's URLs, in config order.</summary>
    internal IReadOnlyList<WebhookTarget> Targets => _targets;

    /// <summary>Whether the app's config lists <paramref name="eventName"/>; callers skip making an event nobody wants.</summary>
    public bool Wants(string eventName) => _events.Contains(eventName);

    /// <summary>Queues the event for every URL without waiting; a full queue drops it (counted and logged there).</summary>
    public void Send(WebhookEvent e)
    {
        foreach (var target in _targets)
        {
            target.TryEnqueue(e);
        }
    }
}
