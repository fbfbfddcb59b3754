using Appliance.Auth.Tokens;
using Appliance.Auth;

namespace Appliance.Node.Rtmp;

public sealed partial class RtmpServerSession
{
    private string? _connectQuery;
    private string? _pageUrl;
    private Task<string?>? _deferred;

    /// <summary>
    /// Runs the app's access policy for a publish or play, then <paramref name="allowed"/> or
    /// <paramref name="refused"/>. A remote-callback check completes later: message parsing
    /// pauses until it does (see the read loop), so commands keep their order.
    /// </summary>
    private string? Authorize(AuthAction action, StreamName name, Func<string?> allowed, Func<string, string?> refused)
    {
        var policy = _context.Policies.For(_app!.Auth);
        if (policy.IsOpen(action))
        {
            return allowed();
        }
        var request = new AuthRequest
        {
            Action = action,
            Protocol = AuthProtocol.Rtmp,
            Domain = _domain!.Name,
            App = _app!.Name,
            Stream = name.Name,
            Path = _tokenPath ?? $"/{_appName}/{name.Name}",
            Query = name.Query ?? _connectQuery,
            ClientIp = Connection.RemoteEndPoint?.Address ?? System.Net.IPAddress.None,
            Referer = _pageUrl,
        };
        var check = policy.CheckAsync(request);
        var realPath = $"/{_appName}/{name.Name}";
        if (check.IsCompletedSuccessfully)
        {
            return Decide(check.Result, realPath, allowed, refused);
        }
        _deferred = DecideLaterAsync(check, realPath, allowed, refused);
        return null;
    }

    private async Task<string?> DecideLaterAsync(ValueTask<AuthResult> check, string realPath, Func<string?> allowed, Func<string, string?> refused)
    {
        var stop = Decide(await check.ConfigureAwait(false), realPath, allowed, refused);
        if (_deferred is { } inner)
        {
            // Allowed, and the play itself waits (an upstream pull): the read loop waits for both.
            _deferred = null;
            stop = await inner.ConfigureAwait(false);
        }
        return stop;
    }

    private string? Decide(AuthResult result, string realPath, Func<string?> allowed, Func<string, string?> refused)
    {
        _context.Auth.Record(result);
        // A token element taken out of the path to find the app must be exactly the one the scheme verified.
        if (result.Allowed && _tokenPath is not null && result.RealPath(_tokenPath) != realPath)
        {
            result = AuthResult.Refuse(AuthRefusal.Malformed, "the token element in the path does not belong to the app's scheme");
        }
        return result.Allowed ? allowed() : refused($"auth refused: {result}");
    }

    /// <summary>Remembers where a connect put its token (the app's or the tcUrl's query) and its page URL.</summary>
    private void RememberConnectAuth(string app, string? tcUrl, string? pageUrl)
    {
        var question = app.IndexOf('?');
        if (question >= 0)
        {
            _connectQuery = app[(question + 1)..];
        }
        else if (tcUrl is not null && tcUrl.IndexOf('?') is var q and >= 0)
        {
            _connectQuery = tcUrl[(q + 1)..];
        }
        _pageUrl = pageUrl;
    }
}
