using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Node.Logging;
using Appliance.Protocols.Http;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    /// <summary>
    /// Runs the app's play policy for a routed request, then serves it or answers 403 (the reason
    /// goes to the log and the stats, never into the response). A segment carrying a valid session
    /// token from an authorized playlist needs nothing else. An authorized playlist gets a fresh
    /// session token for its segment URLs.
    /// </summary>
    private RequestOutcome Authorize(Route route, bool headOnly, bool keepAlive)
    {
        var policy = _context.Policies.For(route.App.Auth);
        if (policy.IsOpen(AuthAction.Play))
        {
            return Serve(route, headOnly, keepAlive, sessionToken: null);
        }
        if ((route.File is not null || route.Extension == "m3u8") && _context.SessionTokens.IsValid(HttpQuery.Get(Request.Query, HlsSessionToken.ParameterName), route.Key))
        {
            // A media playlist is reloaded with the token its multivariant playlist (a CMAF one, or
            // a rendition group's) gave it: renewed each time.
            return Serve(route, headOnly, keepAlive, IsTokenedManifest(route) ? IssueSessionToken(route) : null);
        }
        var peer = Connection.RemoteEndPoint?.Address ?? System.Net.IPAddress.None;
        var request = new AuthRequest
        {
            Action = AuthAction.Play,
            Protocol = route.Extension switch
            {
                "mpd" => AuthProtocol.Dash,
                "flv" => AuthProtocol.HttpFlv,
                "ts" => AuthProtocol.HttpTs,
                _ => AuthProtocol.Hls,
            },
            Domain = route.Key.Domain,
            App = route.Key.App,
            Stream = route.Key.Name,
            Path = Request.Path,
            Query = Request.Query,
            ClientIp = policy.ResolveClientIp(peer, Request.GetHeader("X-Forwarded-For")),
            Referer = Request.GetHeader("Referer"),
        };
        var check = policy.CheckAsync(request);
        if (check.IsCompletedSuccessfully)
        {
            return Decide(check.Result, route, Request.Path, headOnly, keepAlive);
        }
        var path = Request.Path;
        _deferred = DecideLaterAsync(check, route, path, headOnly, keepAlive);
        return RequestOutcome.Deferred;
    }

    private async Task<RequestOutcome> DecideLaterAsync(ValueTask<AuthResult> check, Route route, string path, bool headOnly, bool keepAlive)
    {
        var outcome = Decide(await check.ConfigureAwait(false), route, path, headOnly, keepAlive);
        if (outcome == RequestOutcome.Deferred && _deferred is { } inner)
        {
            // The playlist is waiting for its first segment: wait for that too.
            outcome = await inner.ConfigureAwait(false);
        }
        return outcome;
    }

    private RequestOutcome Decide(AuthResult result, Route route, string path, bool headOnly, bool keepAlive)
    {
        _context.Auth.Record(result);
        // A token we stripped to route must be exactly the one the scheme verified.
        if (result.Allowed && result.RealPath(path) != route.RealPath)
        {
            result = AuthResult.Refuse(AuthRefusal.Malformed, "the token prefix or element in the path does not belong to the app's scheme");
        }
        if (!result.Allowed)
        {
            LiveLog.AuthRefused(_context.Logger, "http", Client, route.Key.ToString(), result.ToString());
            WriteText(403, "forbidden\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        var session = IsTokenedManifest(route) ? IssueSessionToken(route) : null;
        return Serve(route, headOnly, keepAlive, session);
    }

    /// <summary>A playlist or MPD whose URIs carry a session token: an HLS-TS media playlist, a CMAF manifest, a group's index.m3u8.</summary>
    private static bool IsTokenedManifest(in Route route) =>
        (route.Extension == "m3u8" && route.File is null) || IsCmafManifest(route) || IsGroupIndex(route);

    /// <summary>A token for the URIs of a playlist or MPD.</summary>
    private string IssueSessionToken(in Route route) => _context.SessionTokens.Issue(route.Key, SessionTokenLifetime(route.App));

    /// <summary>How long a session token lasts: while the segments it names can be in the window, and a minute more.</summary>
    private static int SessionTokenLifetime(Config.AppConfig app) =>
        (app.Hls.WindowSegments + app.Hls.ExtraSegments) * app.Hls.TargetDurationMs / 1000 + 60;
}
