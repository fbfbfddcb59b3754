namespace Appliance.Relay.Urls;

// srt://host:port[?options]: no path (the stream id names app and stream), no default port.
public sealed partial class UpstreamUrl
{
    private static bool TryParseSrt(string rest, out UpstreamUrl? url, out string error)
    {
        url = null;
        string? query = null;
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
        }
        if (rest.Contains('#'))
        {
            error = "must not carry a fragment (srt://host:port?streamid=...)";
            return false;
        }
        if (!UrlSyntax.TryParseAuthority(rest, 0, out var host, out int port, out int end, out error))
        {
            return false;
        }
        if (port == 0)
        {
            error = "needs a port (srt://host:port; SRT has no default port)";
            return false;
        }
        if (rest.AsSpan(end).Trim('/').Length > 0)
        {
            error = "must not have a path (srt://host:port[?streamid=...]; the stream id names app and stream)";
            return false;
        }
        if (!SrtUpstream.TryParse(query, out var srt, out error))
        {
            return false;
        }
        url = new UpstreamUrl(UpstreamProtocol.Srt, false, host, port, null, null, null, srt);
        return true;
    }
}
