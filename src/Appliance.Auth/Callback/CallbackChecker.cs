using Appliance.Auth.Tokens;
using System.Net;

namespace Appliance.Auth.Callback;

/// <summary>
/// Asks the customer's endpoint: POST the request as JSON; a 2xx answer allows, anything else
/// (another status, a redirect, a connection error, no answer within the timeout) denies.
/// Never throws: every failure is a refusal with its reason for the log.
/// </summary>
public sealed class CallbackChecker : ITokenChecker
{
    // The params travel in the body; a client must not make us POST megabytes on its behalf.
    private const int MaxParamsChars = 8192;

    private static readonly AuthResult Denied = AuthResult.Refuse(AuthRefusal.CallbackDenied, "callback answered with a refusal");
    private static readonly AuthResult TimedOut = AuthResult.Refuse(AuthRefusal.CallbackTimeout, "callback did not answer in time");
    private static readonly AuthResult Failed = AuthResult.Refuse(AuthRefusal.CallbackFailed, "callback could not be reached");
    private static readonly AuthResult Cancelled = AuthResult.Refuse(AuthRefusal.CallbackFailed, "request ended before the callback answered");
    private static readonly AuthResult LongParams = AuthResult.Refuse(AuthRefusal.Malformed, "query too long to forward");

    private static readonly Lazy<HttpClient> SharedClient = new(CreateHttpClient);

    private readonly Uri _url;
    private readonly TimeSpan _timeout;
    private readonly HttpClient _http;
    private readonly CallbackCache _cache;

    /// <param name="http">Shared across apps; null takes a process-wide client that follows no redirects.</param>
    public CallbackChecker(Uri url, int timeoutMs, int cacheSeconds, TimeProvider time, HttpClient? http = null)
    {
        _url = url;
        _timeout = TimeSpan.FromMilliseconds(timeoutMs);
        _http = http ?? SharedClient.Value;
        _cache = new CallbackCache(cacheSeconds, time);
    }

    public ValueTask<AuthResult> CheckAsync(AuthRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = request.Query ?? "";
        if (parameters.Length > MaxParamsChars)
        {
            return new(LongParams);
        }
        if (_cache.IsAllowed(request.Action, request.Stream, parameters))
        {
            return new(AuthResult.Allow);
        }
        return AskAsync(request, parameters, cancellationToken);
    }

    /// <summary>A client for callbacks: no redirects (a 3xx is not a yes), pooled connections that are recycled for DNS changes.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        UseCookies = false,
    })
    {
        // Each call carries its own deadline instead.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private async ValueTask<AuthResult> AskAsync(AuthRequest request, string parameters, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _url) { Content = CallbackBody.Create(request) };
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!IsSuccess(response.StatusCode))
            {
                return Denied;
            }
            _cache.Allow(request.Action, request.Stream, parameters);
            return AuthResult.Allow;
        }
        catch (OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? Cancelled : TimedOut;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            return Failed;
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;
}
