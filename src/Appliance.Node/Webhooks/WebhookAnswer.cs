namespace Appliance.Node.Webhooks;

/// <summary>How one delivery attempt ended: the backend's status, or (status 0) why there was none.</summary>
public readonly record struct WebhookAnswer(int Status, string Failure = "")
{
    public bool Delivered => Status is >= 200 and <= 299;

    /// <summary>
    /// A 5xx, 408, 429, a timeout or no connection may go better later. Any other answer (a 4xx,
    /// a redirect, which is not followed) would be the same again: the event is given up at once.
    /// </summary>
    public bool WorthRetrying => Status == 0 || Status >= 500 || Status is 408 or 429;

    public override string ToString() => Status == 0 ? Failure : $"HTTP {Status}";
}
