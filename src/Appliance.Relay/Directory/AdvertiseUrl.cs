using Appliance.Relay.Urls;

namespace Appliance.Relay.Directory;

/// <summary>
/// Where other nodes pull this node's streams from, as the directory publishes it: an RTMP base
/// (<c>rtmp://host[:port]</c>, to which each stream's app is appended) or an HTTP-FLV template.
/// </summary>
public sealed class AdvertiseUrl
{
    private const string AppSuffix = "/{app}";

    private readonly UpstreamUrl _url;

    private AdvertiseUrl(UpstreamUrl url) => _url = url;

    public static bool TryParse(string? text, out AdvertiseUrl? advertise, out string error)
    {
        advertise = null;
        // "rtmp://host:port/{app}" says the same as "rtmp://host:port", which RTMP upstream URLs spell without the placeholder.
        if (text is not null && text.StartsWith("rtmp://", StringComparison.OrdinalIgnoreCase) && text.EndsWith(AppSuffix, StringComparison.Ordinal))
        {
            text = text[..^AppSuffix.Length];
        }
        if (!UpstreamUrl.TryParse(text, out var url, out error))
        {
            return false;
        }
        if (url.Query is not null)
        {
            error = "must not carry a query (credentials belong in the pulling nodes' upstream URLs)";
            return false;
        }
        if (url.Protocol == UpstreamProtocol.Rtmp && url.App is not null)
        {
            error = "must not name an app (write rtmp://host[:port]; each stream's own app is used)";
            return false;
        }
        advertise = new AdvertiseUrl(url);
        return true;
    }

    /// <summary>The upstream URL (canonical text) other nodes pull a stream of <paramref name="app"/> from.</summary>
    public string For(string app) => _url.Protocol == UpstreamProtocol.Rtmp ? $"{_url}/{app}" : _url.ToString();

    public override string ToString() => _url.Protocol == UpstreamProtocol.Rtmp ? _url + AppSuffix : _url.ToString();
}
