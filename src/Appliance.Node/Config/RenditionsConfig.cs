namespace Appliance.Node.Config;

/// <summary>
/// Which published streams of an app form one adaptive stream (README "Adaptive streams
/// (renditions)"): by name suffix, the group G being G itself and G_{label} for each label; or an
/// explicit map from a group's name to its streams. Either way the first one published, in the
/// order given, is the group's top rendition, the one the others must align with: list the
/// highest first. Off while both are empty.
/// </summary>
public sealed class RenditionsConfig
{
    /// <summary>Name suffixes after '_' ("720p", "480p", "360p"): group G is G, then G_720p, G_480p, G_360p.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Explicit groups: a group's name and its streams, highest first ({ "cam": ["cam_hd", "cam_sd"] }).</summary>
    public Dictionary<string, List<string>> Groups { get; set; } = [];
}
