using Appliance.Auth.Tokens;
using Appliance.Auth;

namespace Appliance.Node.Rtmp;

public sealed partial class RtmpServerSession
{
    /// <summary>Whether the app lets anyone publish or play: then there is nothing to check, and nothing to wait for.</summary>
    private bool IsOpen(AuthAction action) => _context.Policies.For(_address.App!.Auth).IsOpen(action);

    /// <summary>
    /// Runs the app's access policy for a publish or play, then <paramref name="allowed"/> or
    /// <paramref name="refused"/>. A remote-callback check completes later: the protocol holds
    /// back the messages after the command until it does, so commands keep their order.
    /// </summary>
    private ValueTask<string?> Authorize(AuthAction action, StreamName name, Func<ValueTask<string?>> allowed, Func<string, string?> refused)
    {
        var policy = _context.Policies.For(_address.App!.Auth);
        if (policy.IsOpen(action))
        {
            return allowed();
        }
        var request = new AuthRequest
        {
            Action = action,
            Protocol = AuthProtocol.Rtmp,
            Domain = _address.Domain!.Name,
            App = _address.App!.Name,
            Stream = name.Name,
            Path = _address.TokenPath ?? $"/{_address.AppName}/{name.Name}",
            Query = name.Query ?? _address.ConnectQuery,
            ClientIp = Connection.RemoteEndPoint?.Address ?? System.Net.IPAddress.None,
            Referer = _address.PageUrl,
        };
        var check = policy.CheckAsync(request);
        var realPath = $"/{_address.AppName}/{name.Name}";
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
        if (result.Allowed && _address.TokenPath is { } tokenPath && result.RealPath(tokenPath) != realPath)
        {
            result = AuthResult.Refuse(AuthRefusal.Malformed, "the token element in the path does not belong to the app's scheme");
        }
        return result.Allowed ? allowed() : new(refused($"auth refused: {result}"));
    }
}
