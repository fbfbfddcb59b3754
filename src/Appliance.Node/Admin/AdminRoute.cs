namespace Appliance.Node.Admin;

/// <summary>
/// One endpoint of the command API, read from a request path below /api/v1: what it does, the
/// path's argument (a session id, a stream), and the methods it takes.
/// </summary>
internal readonly record struct AdminRoute(AdminRoute.Kind What, string? Argument = null)
{
    public enum Kind
    {
        Streams,
        Sessions,
        Routes,
        Reload,
        Kick,
        Drop,
    }

    /// <summary>Reads answer GET (and HEAD); commands that change the node take POST only.</summary>
    public bool IsCommand => What is Kind.Reload or Kind.Kick or Kind.Drop;

    public string Allow => IsCommand ? "POST" : "GET, HEAD";

    public bool Allows(string method) => IsCommand ? method == "POST" : method is "GET" or "HEAD";

    /// <summary>
    /// streams, sessions, routes, reload, sessions/{id}/kick, streams/{app}/{name}/drop and
    /// streams/{domain}/{app}/{name}/drop; anything else (an empty segment too) is no endpoint.
    /// </summary>
    public static bool TryMatch(ReadOnlySpan<char> rest, out AdminRoute route)
    {
        route = default;
        Span<Range> parts = stackalloc Range[6];
        var count = rest.Split(parts, '/');
        if (count is 0 or > 5)
        {
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            if (rest[parts[i]].IsEmpty)
            {
                return false;
            }
        }
        var first = rest[parts[0]];
        var last = rest[parts[count - 1]];
        switch (count)
        {
            case 1 when first is "streams":
                route = new(Kind.Streams);
                return true;
            case 1 when first is "sessions":
                route = new(Kind.Sessions);
                return true;
            case 1 when first is "routes":
                route = new(Kind.Routes);
                return true;
            case 1 when first is "reload":
                route = new(Kind.Reload);
                return true;
            case 3 when first is "sessions" && last is "kick":
                route = new(Kind.Kick, rest[parts[1]].ToString());
                return true;
            case 4 or 5 when first is "streams" && last is "drop":
                // "app/name" or "domain/app/name", as the control socket's drop takes it.
                route = new(Kind.Drop, rest[parts[1].Start..parts[count - 2].End].ToString());
                return true;
            default:
                return false;
        }
    }
}
