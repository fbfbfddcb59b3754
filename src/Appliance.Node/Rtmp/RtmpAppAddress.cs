using Appliance.Auth;
using Appliance.Auth.Text;
using Appliance.Node.Config;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Rtmp;

/// <summary>
/// Where an RTMP client is going, from its connect and its publish or play: the configured app
/// (found by the tcUrl's host and the connect's app), where its token rides (the app's or the
/// tcUrl's query), its page URL, and a token element in the path.
/// </summary>
/// <remarks>
/// An HMAC token as a path element of an RTMP URL: clients split "rtmp://host/{path}" into the
/// connect's app and the stream name at a '/' of their own choosing, so the element (whose acl may
/// hold raw slashes) can land in the app, in the stream name, or across both. Put back together,
/// "/{app}/{stream}" is the path the signer saw; the element comes out of it and what remains must
/// be "/{app}/{stream}" of a configured app. The app's scheme then checks the whole path.
/// </remarks>
internal sealed class RtmpAppAddress
{
    // The schemes refuse longer paths unread; refusing here says why in the RTMP terms of the client.
    private const int TokenPathMaxChars = 2048;

    /// <summary>The tcUrl's host, kept only when the connect's app opens a token element (the app is resolved at publish or play).</summary>
    private string? _host;

    /// <summary>The connect's app when it opened a token element: the real app is known only at publish or play.</summary>
    private string? _tokenApp;

    /// <summary>The app's name as the client sent it, without query or slashes.</summary>
    public string? AppName { get; private set; }

    public DomainConfig? Domain { get; private set; }

    /// <summary>The configured app: from connect, or from the path once a token element was taken out of it.</summary>
    public AppConfig? App { get; private set; }

    /// <summary>The query of the connect's app, else of its tcUrl: where a token rides when the stream name has none.</summary>
    public string? ConnectQuery { get; private set; }

    public string? PageUrl { get; private set; }

    /// <summary>The path as sent, token element included, once a publish or play carried one.</summary>
    public string? TokenPath { get; private set; }

    /// <summary>Takes the connect's app: null when it names a configured app or opens a token element, else why it is refused.</summary>
    public string? Connect(in RtmpConnectRequest request, DomainTable domains)
    {
        var host = HostOf(request.TcUrl);
        var app = request.App;
        var question = app.IndexOf('?');
        AppName = (question >= 0 ? app[..question] : app).Trim('/');
        if (question >= 0)
        {
            ConnectQuery = app[(question + 1)..];
        }
        else if (request.TcUrl is { } tcUrl && tcUrl.IndexOf('?') is var q and >= 0)
        {
            ConnectQuery = tcUrl[(q + 1)..];
        }
        PageUrl = request.PageUrl;
        if (domains.TryResolve(host, AppName, out var domain, out var appConfig))
        {
            (Domain, App) = (domain, appConfig);
            // A player keeps this for hours: the config's equal string rather than a copy per connection.
            if (string.Equals(AppName, appConfig.Name, StringComparison.Ordinal))
            {
                AppName = appConfig.Name;
            }
            return null;
        }
        if (TokenPathElement.HasTokenStart("/" + AppName))
        {
            // The app is found at publish or play, on this host.
            (_tokenApp, _host) = (AppName, host);
            return null;
        }
        return UnknownApp(AppName);
    }

    /// <summary>
    /// When the path carries a token element: resolves the app, turns <paramref name="rawName"/> into
    /// the real stream name (its query kept) and remembers the whole path for the check. Null when all
    /// is well or there was no element; otherwise the reason to refuse, saying what was expected.
    /// </summary>
    public string? ResolveTokenPath(ref string? rawName, DomainTable domains)
    {
        var question = rawName?.IndexOf('?') ?? -1;
        var name = question >= 0 ? rawName![..question] : rawName ?? "";
        // A stream name never holds '/', so only such a name can carry (part of) an element.
        if (_tokenApp is null && !(name.Contains('/') && TokenPathElement.HasTokenStart("/" + name)))
        {
            return null;
        }
        var path = $"/{_tokenApp ?? AppName}/{name}";
        if (path.Length > TokenPathMaxChars)
        {
            return $"the path /{{app}}/{{stream}} is longer than {TokenPathMaxChars} characters";
        }
        if (!AuthPathPrefix.TryStripTokenElement(path, out var real))
        {
            // The text is not echoed: it may be most of a credential.
            return $"the path /{{app}}/{{stream}} holds an incomplete token element: expected {AuthPathPrefix.ExpectedTokenElement}";
        }
        var slash = real.IndexOf('/', 1);
        if (slash <= 1)
        {
            return $"without its token element the path {Truncate(real)} is not /{{app}}/{{stream}}";
        }
        // An app resolved at connect stays; the check compares the real path with "/{app}/{stream}" anyway.
        var app = real[1..slash];
        if (App is null)
        {
            if (!domains.TryResolve(_host, app, out var domain, out var appConfig))
            {
                return $"unknown app '{Truncate(app)}' in the path {Truncate(real)} without its token element";
            }
            (Domain, App, AppName) = (domain, appConfig, app);
        }
        TokenPath = path;
        rawName = question >= 0 ? string.Concat(real.AsSpan(slash + 1), rawName.AsSpan(question)) : real[(slash + 1)..];
        return null;
    }

    /// <summary>Why a connect's app is refused; an app of several elements may be a token element misplaced after the stream name.</summary>
    private static string UnknownApp(string app) => app.Contains('/')
        ? $"unknown app '{Truncate(app)}': an app is one path element, and a token element in an RTMP URL goes before the stream name"
        : $"unknown app '{Truncate(app)}'";

    private static string? HostOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
