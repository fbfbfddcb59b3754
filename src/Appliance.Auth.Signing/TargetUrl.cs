namespace Appliance.Auth.Signing;

/// <summary>
/// A URL to sign, cut where the schemes need it: "{scheme}://{authority}", the path a scheme signs
/// (without the query), the stream name, and the query the URL already has.
/// </summary>
internal sealed record TargetUrl(bool IsRtmp, string Origin, string Path, string StreamName, string? Query)
{
    private static readonly string[] HttpExtensions = ["flv", "ts", "m3u8", "mpd"];

    public static TargetUrl Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (url.Contains('#', StringComparison.Ordinal))
        {
            throw new SigningException("the URL has a #fragment, which never reaches the node");
        }
        var scheme = schemeEnd > 0 ? url[..schemeEnd].ToLowerInvariant() : "";
        if (scheme is not ("rtmp" or "http" or "https"))
        {
            throw new SigningException($"'{url}' is not an rtmp://, http:// or https:// URL");
        }
        var pathStart = url.IndexOf('/', schemeEnd + 3);
        if (pathStart < 0 || pathStart == schemeEnd + 3)
        {
            throw new SigningException($"'{url}' has no host or no path");
        }
        var queryStart = url.IndexOf('?', pathStart);
        var path = queryStart < 0 ? url[pathStart..] : url[pathStart..queryStart];
        var query = queryStart < 0 ? null : url[(queryStart + 1)..];
        // The node signs the path as it reads it, percent-decoded; one written decoded cannot differ.
        if (path.AsSpan().IndexOfAny("% \t\\") >= 0)
        {
            throw new SigningException($"the path '{path}' has a '%', a space or a backslash: write the stream's name as it is");
        }
        var isRtmp = scheme == "rtmp";
        var name = isRtmp ? RtmpStream(path) : HttpStream(path);
        return new TargetUrl(isRtmp, url[..pathStart], path, name, string.IsNullOrEmpty(query) ? null : query);
    }

    /// <summary>The URL with <paramref name="path"/> for its path and <paramref name="parameters"/> after any query it had.</summary>
    public string With(string path, string? parameters = null)
    {
        var query = (Query, parameters) switch
        {
            (null, null) => "",
            (null, _) => "?" + parameters,
            (_, null) => "?" + Query,
            _ => $"?{Query}&{parameters}",
        };
        return Origin + path + query;
    }

    /// <summary>Refuses a parameter the URL's query already has: the node reads the first, which would not be the token.</summary>
    public void CheckFree(string parameter)
    {
        if (Query is null)
        {
            return;
        }
        foreach (var pair in Query.Split('&'))
        {
            if (pair == parameter || pair.StartsWith(parameter + "=", StringComparison.Ordinal))
            {
                throw new SigningException($"the URL's query already has a '{parameter}' parameter");
            }
        }
    }

    /// <summary>"/{app}/{name}": RTMP URLs name the app and the stream, nothing more.</summary>
    private static string RtmpStream(string path)
    {
        var parts = path.Split('/');
        if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new SigningException($"an RTMP URL's path is /{{app}}/{{stream}}, not '{path}'");
        }
        return parts[2];
    }

    /// <summary>"/{app}/{name}.{ext}" or a segment "/{app}/{name}/{file}", as the node's HTTP routes read them.</summary>
    private static string HttpStream(string path)
    {
        var parts = path.Split('/');
        if (parts.Length == 4 && parts[1].Length > 0 && parts[2].Length > 0 && parts[3].Length > 0)
        {
            return parts[2];
        }
        var dot = parts.Length == 3 ? parts[2].LastIndexOf('.') : -1;
        if (parts.Length != 3 || parts[1].Length == 0 || dot <= 0 || Array.IndexOf(HttpExtensions, parts[2][(dot + 1)..]) < 0)
        {
            throw new SigningException($"an HTTP URL's path is /{{app}}/{{stream}}.flv, .ts, .m3u8 or .mpd (or a segment /{{app}}/{{stream}}/{{file}}), not '{path}'");
        }
        return parts[2][..dot];
    }
}
