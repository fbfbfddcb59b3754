using Appliance.Auth;

namespace Appliance.Node.Rtmp;

public sealed partial class RtmpServerSession
{
    private string? _connectQuery;
    private string? _pageUrl;

    /// <summary>
    /// Runs the app's access policy for a publish or play, then <paramref name="allowed"/> or
    /// <paramref name="refused"/>. A remote-callback check completes later: the protocol holds
    /// back the messages after the command until it does, so commands keep their order.
    /// </summary>
    private ValueTask<string?> Authorize(AuthAction action, StreamName name, Func<ValueTask<string?>> allowed, Func<string, string?> refused)
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
        return check.IsCompletedSuccessfully
            ? Decide(check.Result, realPath, allowed, refused)
            : DecideLaterAsync(check, realPath, allowed, refused);
    }

    // When allowed, a play may go on to wait for an upstream pull: the verdict covers both.
    private async ValueTask<string?> DecideLaterAsync(ValueTask<AuthResult> check, string realPath, Func<ValueTask<string?>> allowed, Func<string, string?> refused) =>
        await Decide(await check.ConfigureAwait(false), realPath, allowed, refused).ConfigureAwait(false);

    private ValueTask<string?> Decide(AuthResult result, string realPath, Func<ValueTask<string?>> allowed, Func<string, string?> refused)
    {
        _context.Auth.Record(result);
        // A token element taken out of the path to find the app must be exactly the one the scheme verified.
        if (result.Allowed && _tokenPath is not null && result.RealPath(_tokenPath) != realPath)
        {
            result = AuthResult.Refuse(AuthRefusal.Malformed, "the token element in the path does not belong to the app's scheme");
        }
        return result.Allowed ? allowed() : new(refused($"auth refused: {result}"));
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
