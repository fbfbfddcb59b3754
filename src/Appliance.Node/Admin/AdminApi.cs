using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Appliance.Control.Contract;
using Appliance.Node.ControlSocket;
using Appliance.Node.Hosting;
using Appliance.Protocols.Http;

namespace Appliance.Node.Admin;

/// <summary>
/// The command API on the admin listener (/api/v1/...): the control socket's streams, sessions,
/// kick, drop, reload and routes as JSON over HTTP, for operators who drive many nodes from one
/// place. Every answer is the control socket's reply object; the status code says what happened.
/// The commands themselves are <see cref="NodeCommands"/>, shared with the control socket.
/// </summary>
internal static class AdminApi
{
    public const string Prefix = "/api/v1";

    private static readonly KeyValuePair<string, string> NoStore = new("Cache-Control", "no-store");
    private static readonly KeyValuePair<string, string> AskForToken = new("WWW-Authenticate", "Bearer realm=\"appliance\"");
    private static readonly KeyValuePair<string, string> RefuseToken = new("WWW-Authenticate", "Bearer realm=\"appliance\", error=\"invalid_token\"");
    private static readonly string[] SessionFilters = ["stream", "protocol", "client"];

    public static bool Owns(string path) => path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal);

    /// <summary>Writes the whole response for <paramref name="request"/>; its status, and whether the connection may stay open.</summary>
    /// <param name="node">The node; null (a session run alone in a test) leaves the API off.</param>
    public static (int Status, bool KeepAlive) Respond(INodeAdmin? node, HttpRequest request, string client, IBufferWriter<byte> output, bool keepAlive, bool headOnly)
    {
        var answer = Decide(node, request, client);
        keepAlive &= !answer.Close;
        var body = JsonSerializer.SerializeToUtf8Bytes(answer.Reply, ControlJsonContext.Default.ControlReply);
        ReadOnlySpan<KeyValuePair<string, string>> headers = answer.Header is { } extra ? [NoStore, extra] : [NoStore];
        HttpResponseWriter.WriteHead(output, answer.Status, "application/json", body.Length, keepAlive, headers);
        if (!headOnly)
        {
            output.Write(body);
        }
        return (answer.Status, keepAlive);
    }

    private static AdminAnswer Decide(INodeAdmin? node, HttpRequest request, string client)
    {
        // Read at each request: a reload that rotates the token holds for open connections too.
        var token = node?.Context.Config.Admin.Token;
        if (node is null || string.IsNullOrEmpty(token))
        {
            return Failure(404, "the command API is off: set admin.token to turn it on");
        }
        var logger = node.Context.Logger;
        if (request.ContentLength > 0 || request.IsChunked)
        {
            // Unread, the body would be taken for the next request: the connection ends here.
            AdminApiLog.Refused(logger, client, "a request body (the command API takes none)");
            return Failure(413, "the command API takes no request body: arguments go in the path and query") with { Close = true };
        }
        switch (AdminToken.Check(request.GetHeader("Authorization"), token))
        {
            case AdminToken.Verdict.Missing:
                if (node.Context.AdminRefusals.ShouldLog())
                {
                    AdminApiLog.Refused(logger, client, "no bearer token");
                }
                return Failure(401, "a bearer token is required (Authorization: Bearer TOKEN)") with { Header = AskForToken };
            case AdminToken.Verdict.Wrong:
                if (node.Context.AdminRefusals.ShouldLog())
                {
                    AdminApiLog.Refused(logger, client, "wrong bearer token");
                }
                return Failure(401, "wrong bearer token") with { Header = RefuseToken };
        }
        var rest = request.Path.Length > Prefix.Length ? request.Path.AsSpan(Prefix.Length + 1) : default;
        if (!AdminRoute.TryMatch(rest, out var route))
        {
            return Failure(404, $"no endpoint {NodeCommands.Printable(request.Path)}; see the README's admin API section");
        }
        if (!route.Allows(request.Method))
        {
            return Failure(405, $"{NodeCommands.Printable(request.Method)} is not allowed here; this endpoint takes {route.Allow}") with { Header = new("Allow", route.Allow) };
        }
        var answer = Execute(new NodeCommands(node), route, request.Query);
        if (route.IsCommand)
        {
            AdminApiLog.Command(logger, CommandText(route), client, answer.Reply.Ok ? answer.Reply.Message ?? "ok" : answer.Reply.Error ?? "failed");
        }
        return answer;
    }

    private static AdminAnswer Execute(NodeCommands commands, AdminRoute route, string? query)
    {
        if (UnknownParameter(query, route.What == AdminRoute.Kind.Sessions ? SessionFilters : []) is { } unknown)
        {
            var takes = route.What == AdminRoute.Kind.Sessions ? string.Join(", ", SessionFilters) : "none";
            return Failure(400, $"unknown parameter '{NodeCommands.Printable(unknown)}'; this endpoint takes: {takes}");
        }
        switch (route.What)
        {
            case AdminRoute.Kind.Streams:
                return Success(new ControlReply { Ok = true, Streams = commands.Streams() });
            case AdminRoute.Kind.Sessions:
                var filter = new ControlRequest
                {
                    Command = "sessions",
                    Stream = HttpQuery.Get(query, "stream"),
                    Protocol = HttpQuery.Get(query, "protocol"),
                    Client = HttpQuery.Get(query, "client"),
                };
                return Success(new ControlReply { Ok = true, Sessions = commands.Sessions(filter) });
            case AdminRoute.Kind.Routes:
                return Success(new ControlReply { Ok = true, Routes = commands.Routes() });
            case AdminRoute.Kind.Reload:
                return From(commands.Reload());
            case AdminRoute.Kind.Kick:
                return long.TryParse(route.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                    ? From(commands.Kick(id))
                    : Failure(400, $"'{NodeCommands.Printable(route.Argument!)}' is not a session id (a number, from /api/v1/sessions)");
            default:
                return From(commands.Drop(route.Argument!));
        }
    }

    private static string CommandText(AdminRoute route) => route.What switch
    {
        AdminRoute.Kind.Kick => $"kick {NodeCommands.Printable(route.Argument!)}",
        AdminRoute.Kind.Drop => $"drop {NodeCommands.Printable(route.Argument!)}",
        _ => "reload",
    };

    /// <summary>The first parameter name of <paramref name="query"/> not in <paramref name="known"/>, or null.</summary>
    private static string? UnknownParameter(string? query, string[] known)
    {
        if (string.IsNullOrEmpty(query))
        {
            return null;
        }
        foreach (var parameter in query.Split('&'))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? parameter : parameter[..equals];
            if (name.Length > 0 && Array.IndexOf(known, name) < 0)
            {
                return name;
            }
        }
        return null;
    }

    private static AdminAnswer From(CommandOutcome outcome) => outcome.Kind switch
    {
        CommandOutcomeKind.Done => Success(ControlReply.Success(outcome.Text)),
        CommandOutcomeKind.Invalid => Failure(400, outcome.Text),
        CommandOutcomeKind.NotFound => Failure(404, outcome.Text),
        _ => Failure(409, outcome.Text),
    };

    private static AdminAnswer Success(ControlReply reply) => new(200, reply);

    private static AdminAnswer Failure(int status, string error) => new(status, ControlReply.Failure(error));
}
