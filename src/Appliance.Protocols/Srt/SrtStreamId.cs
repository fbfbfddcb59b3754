namespace Appliance.Protocols.Srt;

/// <summary>What an SRT caller asks for: publish a stream, or request (play) one.</summary>
public enum SrtMode
{
    Publish,
    Request,
}

/// <summary>
/// An SRT stream id, in the forms encoders and players send: the access-control syntax
/// <c>#!::r=app/stream,m=publish|request,t=TOKEN,h=host</c> (SRS, MediaMTX, the SRT access-control
/// convention), a query on the resource (<c>r=app/stream?auth_key=...</c>), or plain
/// <c>app/stream[?query]</c> (a publish). <see cref="Query"/> is what the app's auth scheme reads, as
/// RTMP's stream-name query: the query on <c>r</c>, then the value of <c>t</c> (itself a query,
/// <c>t=auth_key=...</c>), joined by '&amp;'. Keys the convention defines but the node does not use
/// (u, s) and unknown keys are ignored; an unknown mode is refused.
/// </summary>
public sealed record SrtStreamId(string App, string Stream, SrtMode Mode, string? Query, string? Host)
{
    /// <summary>SRT carries at most 512 bytes of stream id (SRTO_STREAMID).</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// What a node's route prober calls with: the listener refuses it in the handshake (1400)
    /// without a log line, and the caller times the answer, so a probe opens no session.
    /// </summary>
    public const string Probe = "#!::m=probe";

    private const string Prefix = "#!::";

    /// <summary>Parses <paramref name="text"/>; null with the reason when it cannot be served.</summary>
    public static SrtStreamId? Parse(string? text, out string problem)
    {
        problem = "";
        if (string.IsNullOrEmpty(text))
        {
            problem = "no stream id (expected #!::r=app/stream,m=publish or app/stream)";
            return null;
        }
        if (text.Length > MaxLength)
        {
            problem = $"stream id longer than {MaxLength} characters";
            return null;
        }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Resource(text, SrtMode.Publish, token: null, host: null, out problem);
        }
        string? resource = null, mode = null, token = null, host = null;
        foreach (var pair in text[Prefix.Length..].Split(','))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                problem = $"stream id entry '{Shorten(pair)}' is not key=value";
                return null;
            }
            var key = pair[..equals];
            var value = pair[(equals + 1)..];
            var duplicate = key switch
            {
                "r" => Take(ref resource, value),
                "m" => Take(ref mode, value),
                "t" => Take(ref token, value),
                "h" => Take(ref host, value),
                _ => false,
            };
            if (duplicate)
            {
                problem = $"stream id names '{key}' twice";
                return null;
            }
        }
        if (resource is null)
        {
            problem = "stream id has no r= (the app/stream)";
            return null;
        }
        SrtMode parsed;
        switch (mode)
        {
            case null or "publish":
                parsed = SrtMode.Publish;
                break;
            case "request":
                parsed = SrtMode.Request;
                break;
            default:
                problem = $"unknown mode m={Shorten(mode)} (publish or request)";
                return null;
        }
        return Resource(resource, parsed, token, host, out problem);
    }

    // Returns true when the key was already given.
    private static bool Take(ref string? slot, string value)
    {
        if (slot is not null)
        {
            return true;
        }
        slot = value;
        return false;
    }

    private static SrtStreamId? Resource(string resource, SrtMode mode, string? token, string? host, out string problem)
    {
        problem = "";
        var question = resource.IndexOf('?');
        var path = question >= 0 ? resource[..question] : resource;
        var query = question >= 0 ? resource[(question + 1)..] : null;
        var slash = path.IndexOf('/');
        if (slash <= 0 || slash == path.Length - 1)
        {
            problem = $"resource '{Shorten(path)}' is not app/stream";
            return null;
        }
        if (!string.IsNullOrEmpty(token))
        {
            query = string.IsNullOrEmpty(query) ? token : $"{query}&{token}";
        }
        return new SrtStreamId(path[..slash], path[(slash + 1)..], mode, string.IsNullOrEmpty(query) ? null : query, string.IsNullOrEmpty(host) ? null : host);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : $"{text[..40]}...";
}
