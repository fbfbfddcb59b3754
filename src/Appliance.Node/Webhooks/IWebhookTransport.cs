namespace Appliance.Node.Webhooks;

/// <summary>Sends one event body to one URL, once: the HTTP client in the node, a recorder in tests.</summary>
internal interface IWebhookTransport
{
    /// <summary>
    /// One attempt. Never throws for the backend's sake (no answer is a <see cref="WebhookAnswer"/>
    /// with status 0); only <paramref name="cancellationToken"/>, the node stopping, ends it early.
    /// </summary>
    Task<WebhookAnswer> PostAsync(string eventName, byte[] body, string? signature, CancellationToken cancellationToken);
}
