using Appliance.Node.Player;
using Appliance.Protocols.Http;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    private const string PlayerOff = "player page not installed on this node\n";

    /// <summary>
    /// GET /{app}/{stream}.html: the player page, to any client. It holds no media, only the
    /// names in its own URL, its query and the node's outputs; the media it plays are asked for
    /// one by one, each under the app's play rules. Never stored: its URLs may carry a token.
    /// </summary>
    private RequestOutcome ServePlayerPage(in Route route, bool keepAlive, bool headOnly)
    {
        var files = _context.Player;
        if (files.Problem is not null)
        {
            WriteText(404, PlayerOff, keepAlive, headOnly);
            return Next(keepAlive);
        }
        var body = PlayerPage.Render(route.App, route.Key.Name, Request.Query, files);
        KeyValuePair<string, string>[] headers =
        [
            .. NoStore,
            new("Content-Security-Policy", PlayerPage.ContentSecurityPolicy),
            new("X-Content-Type-Options", "nosniff"),
            // No Referer on the media requests: a token in the page's URL goes nowhere else, and
            // an app's referer allow list judges them as direct requests (referer.allowEmpty).
            new("Referrer-Policy", "no-referrer"),
        ];
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, PlayerPage.ContentType, body.Length, keepAlive, extraHeaders: headers);
        if (!headOnly)
        {
            System.Buffers.BuffersExtensions.Write(HeadBuffer, body);
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        _lastStatus = 200;
        return Next(keepAlive);
    }

    /// <summary>
    /// GET /player/{script}: one of <see cref="PlayerFiles.Names"/>, nothing else, so no path
    /// reaches the file system. A day in caches; the page names each with ?v= of its hash, so a
    /// new version is a new URL, and If-None-Match with its ETag gets 304.
    /// </summary>
    private RequestOutcome ServePlayerScript(string name, bool keepAlive, bool headOnly)
    {
        var files = _context.Player;
        if (!files.TryGet(name, out var file))
        {
            WriteText(404, files.Problem is null ? "not found\n" : PlayerOff, keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (!file.File.TryAddRef())
        {
            // A reload replaced the files between the lookup and now: rare, and the next try finds the new ones.
            WriteText(503, "player scripts are being reloaded\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        KeyValuePair<string, string>[] headers =
        [
            new("Cache-Control", "public, max-age=86400"),
            new("ETag", file.ETag),
            new("X-Content-Type-Options", "nosniff"),
        ];
        HeadBuffer.ResetWrittenCount();
        if (EntityTag.Matches(Request.GetHeader("If-None-Match"), file.ETag))
        {
            file.File.Release();
            HttpResponseWriter.WriteHead(HeadBuffer, 304, null, null, keepAlive, extraHeaders: headers);
            Writer.Send(HeadBuffer.WrittenSpan);
            _lastStatus = 304;
            return Next(keepAlive);
        }
        HttpResponseWriter.WriteHead(HeadBuffer, 200, PlayerFiles.ContentType, file.File.Length, keepAlive, extraHeaders: headers);
        Writer.Send(HeadBuffer.WrittenSpan);
        _lastStatus = 200;
        if (headOnly)
        {
            file.File.Release();
        }
        else
        {
            Writer.SendFile(file.File, 0, file.File.Length);
        }
        return Next(keepAlive);
    }

    /// <summary>Whether a path is one of the player's scripts: other paths under /player/ are stream routes (an app may be named "player").</summary>
    private static bool IsPlayerScript(string path, out string name)
    {
        name = "";
        if (!path.StartsWith(PlayerFiles.Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        name = path[PlayerFiles.Prefix.Length..];
        return Array.IndexOf(PlayerFiles.Names, name) >= 0;
    }
}
