namespace Appliance.Node.Config;

/// <summary>Checks an app's "webhooks" section so that building its queues cannot fail.</summary>
internal static class WebhookConfigValidator
{
    public const int MaxUrls = 8;
    public const int MaxSecretChars = 256;
    public const int MaxQueueSize = 1_000_000;
    public const int MaxRetries = 20;

    /// <param name="at">The key path of the section without "$.", e.g. "domains[0].apps[0].webhooks".</param>
    public static void Validate(WebhookConfig? hooks, string at, Action<bool, string, string> check)
    {
        if (hooks is null)
        {
            check(false, at, "must be an object");
            return;
        }
        ValidateUrls(hooks.Urls, $"{at}.urls", check);
        ValidateEvents(hooks.Events, hooks.Urls is { Count: > 0 }, $"{at}.events", check);
        check(hooks.Secret is null || hooks.Secret.Length is > 0 and <= MaxSecretChars, $"{at}.secret", $"must be 1 to {MaxSecretChars} characters when set");
        check(hooks.QueueSize is >= 1 and <= MaxQueueSize, $"{at}.queueSize", $"must be between 1 and {MaxQueueSize}");
        check(hooks.Retries is >= 0 and <= MaxRetries, $"{at}.retries", $"must be between 0 and {MaxRetries}");
        check(hooks.RetryMs is >= 10 and <= 60_000, $"{at}.retryMs", "must be between 10 and 60000");
        check(hooks.MaxRetryMs >= hooks.RetryMs && hooks.MaxRetryMs <= 600_000, $"{at}.maxRetryMs", "must be between retryMs and 600000");
        check(hooks.TimeoutMs is >= 100 and <= 60_000, $"{at}.timeoutMs", "must be between 100 and 60000");
    }

    private static void ValidateUrls(List<string>? urls, string at, Action<bool, string, string> check)
    {
        if (urls is null)
        {
            check(false, at, "must be an array of http or https URLs");
            return;
        }
        check(urls.Count <= MaxUrls, at, $"lists more than {MaxUrls} URLs");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < urls.Count; i++)
        {
            var url = urls[i];
            var parsed = IsHttpUrl(url, out var uri);
            check(parsed, $"{at}[{i}]", "must be an absolute http or https URL");
            // The client sends no credentials written before the host: they would silently go nowhere.
            check(!parsed || uri!.UserInfo.Length == 0, $"{at}[{i}]", "must not carry user:password before the host; use secret, or a token in the query");
            check(url is null || seen.Add(url), $"{at}[{i}]", $"'{url}' is listed twice");
        }
    }

    private static void ValidateEvents(List<string>? events, bool hasUrls, string at, Action<bool, string, string> check)
    {
        if (events is null)
        {
            check(false, at, "must be an array of event names");
            return;
        }
        check(!hasUrls || events.Count > 0, at, "lists no event; leave urls empty to send none");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var name = events[i];
            check(name is not null && WebhookEventNames.All.Contains(name), $"{at}[{i}]", $"must be one of {string.Join(", ", WebhookEventNames.All)}");
            check(name is null || seen.Add(name), $"{at}[{i}]", $"'{name}' is listed twice");
        }
    }

    private static bool IsHttpUrl(string? url, out Uri? uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
