namespace Appliance.Node.Config;

/// <summary>Who this node is, for status, loop protection of pulls and the stream directory.</summary>
public sealed class NodeConfig
{
    /// <summary>A name unique in the CDN; empty = the host name.</summary>
    public string Id { get; set; } = "";

    /// <summary>Shown by status: "origin", "upper", "middle", "edge"; empty = derived ("edge" when an app pulls, else "origin").</summary>
    public string Role { get; set; } = "";
}
