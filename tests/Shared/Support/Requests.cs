using Appliance.Auth.Tokens;
using System.Net;
using Appliance.Auth;

namespace Appliance.Tests.Support;

internal static class Requests
{
    public static readonly IPAddress Viewer = IPAddress.Parse("198.51.100.10");

    public static AuthRequest Play(string path, string? query = null, string stream = "cam1", IPAddress? ip = null, string? referer = null) =>
        Make(AuthAction.Play, path, query, stream, ip, referer);

    public static AuthRequest Publish(string path, string? query = null, string stream = "cam1", IPAddress? ip = null) =>
        Make(AuthAction.Publish, path, query, stream, ip, referer: null);

    public static AuthRequest Make(AuthAction action, string path, string? query, string stream, IPAddress? ip, string? referer) => new()
    {
        Action = action,
        Protocol = path.EndsWith(".m3u8", StringComparison.Ordinal) ? AuthProtocol.Hls : AuthProtocol.HttpFlv,
        Domain = "example.com",
        App = "live",
        Stream = stream,
        Path = path,
        Query = query,
        ClientIp = ip ?? Viewer,
        Referer = referer,
    };
}
