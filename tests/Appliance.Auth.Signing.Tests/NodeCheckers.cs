using System.Net;
using Appliance.Auth.Config;
using Appliance.Auth.Tokens;

namespace Appliance.Auth.Signing.Tests;

/// <summary>Runs a signed URL through the node's own checker for a rule, as a session would ask it.</summary>
internal static class NodeCheckers
{
    public static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    /// <summary>The checker's verdict on <paramref name="signedUrl"/> at <paramref name="unixSeconds"/>, and the path it would serve.</summary>
    public static (AuthResult Result, string RealPath) Check(AuthRule rule, string signedUrl, string stream, long unixSeconds)
    {
        var checker = (SyncTokenChecker)TokenCheckers.Create(rule, new ManualClock(unixSeconds));
        var isRtmp = signedUrl.StartsWith("rtmp://", StringComparison.Ordinal);
        var pathStart = signedUrl.IndexOf('/', signedUrl.IndexOf("://", StringComparison.Ordinal) + 3);
        var queryStart = signedUrl.IndexOf('?', pathStart);
        var path = queryStart < 0 ? signedUrl[pathStart..] : signedUrl[pathStart..queryStart];
        // The HTTP session hands the checker the path percent-decoded; an RTMP one the app and name as sent.
        path = isRtmp ? path : Uri.UnescapeDataString(path);
        var request = new AuthRequest
        {
            Action = AuthAction.Play,
            Protocol = isRtmp ? AuthProtocol.Rtmp : AuthProtocol.HttpFlv,
            Domain = "default",
            App = "live",
            Stream = stream,
            Path = path,
            Query = queryStart < 0 ? null : signedUrl[(queryStart + 1)..],
            ClientIp = Client,
        };
        var result = checker.Check(request);
        return (result, result.RealPath(path));
    }
}
