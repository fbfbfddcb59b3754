using Appliance.Auth;
using Appliance.Auth.Text;

namespace Appliance.Node.Rtmp;

/// <summary>
/// An HMAC token as a path element of an RTMP URL. Clients split "rtmp://host/{path}" into the
/// connect's app and the stream name at a '/' of their own choosing, so the element (whose acl may
/// hold raw slashes) can land in the app, in the stream name, or across both. Put back together,
/// "/{app}/{stream}" is the path the signer saw; the element comes out of it and what remains must
/// be "/{app}/{stream}" of a configured app. The app's scheme then checks the whole path.
/// </summary>
public sealed partial class RtmpServerSession
{
    /// <summary>The connect's app when it opened a token element: the real app is known only at publish or play.</summary>
    private string? _tokenApp;

    /// <summary>The path as sent, token element included, once a publish or play carried one.</summary>
    private string? _tokenPath;

    /// <summary>True when the connect's app holds a token element; the app is then resolved at publish or play.</summary>
    private bool DefersAppToTokenPath(string app)
    {
        if (!TokenPathElement.HasTokenStart("/" + app))
        {
            return false;
        }
        _tokenApp = app;
        return true;
    }

    /// <summary>
    /// When the path carries a token element: resolves the app, turns <paramref name="rawName"/> into
    /// the real stream name (its query kept) and remembers the whole path for the check. Null when all
    /// is well or there was no element; otherwise the reason to refuse, saying what was expected.
    /// </summary>
    private string? ResolveTokenPath(ref string? rawName)
    {
        var question = rawName?.IndexOf('?') ?? -1;
        var name = question >= 0 ? rawName![..question] : rawName ?? "";
        // A stream name never holds '/', so only such a name can carry (part of) an element; before
        // any connect there is no path at all, and the caller refuses the command for that.
        if (_tokenApp is null && (_appName is null || !(name.Contains('/') && TokenPathElement.HasTokenStart("/" + name))))
        {
            return null;
        }
        var path = $"/{_tokenApp ?? _appName}/{name}";
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
        if (_app is null)
        {
            if (!_context.Domains.TryResolve(_tcUrlHost, app, out var domain, out var appConfig))
            {
                return $"unknown app '{Truncate(app)}' in the path {Truncate(real)} without its token element";
            }
            (_domain, _app, _appName) = (domain, appConfig, app);
        }
        _tokenPath = path;
        rawName = question >= 0 ? string.Concat(real.AsSpan(slash + 1), rawName.AsSpan(question)) : real[(slash + 1)..];
        return null;
    }

    /// <summary>Why a connect's app is refused; an app of several elements may be a token element misplaced after the stream name.</summary>
    private static string UnknownApp(string app) => app.Contains('/')
        ? $"unknown app '{Truncate(app)}': an app is one path element, and a token element in an RTMP URL goes before the stream name"
        : $"unknown app '{Truncate(app)}'";

    // The schemes refuse longer paths unread; refusing here says why in the RTMP terms of the client.
    private const int TokenPathMaxChars = 2048;
}
