using System.Net.Http.Headers;

namespace Appliance.Node.Webhooks;

/// <summary>
/// POSTs an event body with the client the auth callback uses (<see cref="Auth.Callback.CallbackChecker.CreateHttpClient"/>:
/// no redirects, pooled connections recycled for DNS changes), each attempt with its own deadline.
/// </summary>
internal sealed class HttpWebhookTransport(HttpClient http, Uri url, int timeoutMs) : IWebhookTransport
{
    public const string SignatureHeader = "X-Appliance-Signature";
    public const string EventHeader = "X-Appliance-Event";

    public async Task<WebhookAnswer> PostAsync(string eventName, byte[] body, string? signature, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeoutMs);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
            using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            message.Headers.TryAddWithoutValidation(EventHeader, eventName);
            if (signature is not null)
            {
                message.Headers.TryAddWithoutValidation(SignatureHeader, signature);
            }
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return new WebhookAnswer((int)response.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAnswer(0, $"no answer within {timeoutMs} ms");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            return new WebhookAnswer(0, ex.InnerException?.Message ?? ex.Message);
        }
    }
}
