using Appliance.Relay.Urls;
using System.Diagnostics.CodeAnalysis;
using Appliance.Streaming.Streams;

namespace Appliance.Relay.Directory;

/// <summary>
/// One directory record: the node that has a stream published and the URL to pull it from,
/// stored as the text <c>"node-id url"</c> under <c>{prefix}stream:{domain}/{app}/{name}</c>.
/// Anyone who can write to the Redis can write anything there, so reading is strict.
/// </summary>
public sealed record DirectoryEntry(string Node, UpstreamUrl Url)
{
    /// <summary>The longest node id the config accepts (node.id).</summary>
    public const int MaxNodeChars = 128;

    public static string KeyOf(string prefix, StreamKey key) => $"{prefix}stream:{key.Domain.ToLowerInvariant()}/{key.App}/{key.Name}";

    public static string Format(string node, string url) => node + " " + url;

    public static bool TryParse(string? text, [NotNullWhen(true)] out DirectoryEntry? entry, out string error)
    {
        entry = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }
        var space = text.IndexOf(' ');
        if (space <= 0 || space > MaxNodeChars)
        {
            error = $"is not \"node-id url\" (a node id of 1 to {MaxNodeChars} characters, a space, an upstream URL)";
            return false;
        }
        var node = text[..space];
        if (node.AsSpan().IndexOfAny(" \t\r\n,;=\"") >= 0 || node.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            error = "names a node id with characters node ids cannot have";
            return false;
        }
        if (!UpstreamUrl.TryParse(text[(space + 1)..], out var url, out error))
        {
            error = "has a URL that " + error;
            return false;
        }
        if (url.Query is not null)
        {
            // An entry names a node; credentials belong to each puller's own upstream URLs.
            error = "has a URL that must not carry a query";
            return false;
        }
        entry = new DirectoryEntry(node, url);
        return true;
    }
}
