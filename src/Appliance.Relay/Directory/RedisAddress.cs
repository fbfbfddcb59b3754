using Appliance.Relay.Urls;

namespace Appliance.Relay.Directory;

/// <summary>The directory's Redis server: <c>host[:port]</c> (port 6379), a DNS name or an IP literal (IPv6 in brackets).</summary>
public readonly record struct RedisAddress(string Host, int Port)
{
    public const int DefaultPort = 6379;

    public static bool TryParse(string? text, out RedisAddress address, out string error)
    {
        address = default;
        if (!UrlSyntax.CheckCharacters(text, out error))
        {
            return false;
        }
        if (!UrlSyntax.TryParseAuthority(text!, DefaultPort, out var host, out var port, out var end, out error))
        {
            return false;
        }
        if (end != text!.Length)
        {
            error = "must be host:port, without a scheme or path";
            return false;
        }
        address = new RedisAddress(host, port);
        return true;
    }

    public override string ToString() => $"{UrlSyntax.ForUrl(Host)}:{Port}";
}
