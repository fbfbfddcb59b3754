using System.Runtime.CompilerServices;
using Appliance.Codecs.Dash;
using Appliance.Codecs.Hls;

namespace Appliance.Node.Http;

/// <summary>
/// CMAF media playlists and MPDs without a session token, written once per snapshot: a part wakes
/// every player blocked on it, and each would otherwise get the same bytes written anew (a
/// thousand LL-HLS players: a thousand identical playlists per part and track; a thousand LL-DASH
/// players reload the same MPD every part). Keyed by the snapshot's immutable manifest object, by
/// reference, so an entry goes when its snapshot does. Requests with a token (auth) or a delta
/// update are written per request as before.
/// </summary>
internal static class RenderedManifests
{
    private static readonly ConditionalWeakTable<HlsMediaPlaylist, byte[]> Playlists = new();
    private static readonly ConditionalWeakTable<DashManifest, byte[]> Mpds = new();

    public static byte[] Of(HlsMediaPlaylist playlist) => Playlists.GetValue(playlist, static p => HlsMediaPlaylistWriter.Write(p));

    public static byte[] Of(DashManifest manifest) => Mpds.GetValue(manifest, static m => DashManifestWriter.Write(m));
}
