using Appliance.Protocols.Http;

namespace Appliance.Relay.Urls;

/// <summary>
/// Loop protection for pulls: every pull request names, in its query, the nodes it already passed
/// through (appliance_via=edge1,middle2). A node refuses to pull for a request that names itself
/// (a loop) or that has passed through too many nodes already.
/// </summary>
public static class Via
{
    public const string Parameter = "appliance_via";

    private const int MaxNodes = 64;

    public static IReadOnlyList<string> Parse(string? query)
    {
        var value = HttpQuery.Get(query, Parameter);
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }
        var nodes = Uri.UnescapeDataString(value).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return nodes.Length > MaxNodes ? nodes[..MaxNodes] : nodes;
    }

    /// <summary>
    /// True when a play request comes from another node (a pull names the nodes it came through):
    /// such a viewer continues this node's timeline, so its frames are never re-stamped.
    /// </summary>
    public static bool IsRelayRequest(string? query) => !string.IsNullOrEmpty(HttpQuery.Get(query, Parameter));

    /// <summary>Why this node must not pull for a request that came through <paramref name="via"/>, or null.</summary>
    public static string? Refusal(IReadOnlyList<string> via, string nodeId, int maxHops)
    {
        foreach (var node in via)
        {
            if (string.Equals(node, nodeId, StringComparison.OrdinalIgnoreCase))
            {
                return $"loop: the request already passed through this node ({string.Join(" -> ", via)})";
            }
        }
        return via.Count >= maxHops ? $"too many hops: {via.Count} nodes already ({string.Join(" -> ", via)}), the limit is {maxHops}" : null;
    }

    /// <summary>The query a pull from this node sends upstream: the path so far plus this node.</summary>
    public static string Query(IReadOnlyList<string> via, string nodeId) =>
        Parameter + "=" + string.Join(',', via.Append(nodeId).Select(Uri.EscapeDataString));
}
