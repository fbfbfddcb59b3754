using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Renditions;

/// <summary>
/// The multivariant playlists of a group: one EXT-X-STREAM-INF per listed rendition (lowest
/// bandwidth first), each pointing at the rendition's own media playlist by a relative URI that
/// carries that rendition's query (its session token), so every rendition keeps its own URLs.
/// </summary>
public static class GroupPlaylists
{
    /// <summary>GROUP-ID of the audio every listed rendition shares: the top rendition's.</summary>
    public const string SharedAudioGroup = "audio";

    /// <summary>
    /// /{app}/{group}/index.m3u8: each variant is a rendition's MPEG-TS media playlist
    /// (../{name}.m3u8), its audio muxed in, so there is no EXT-X-MEDIA.
    /// </summary>
    public static List<HlsVariant> Ts(IReadOnlyList<Rendition> listed, Func<Rendition, string?> query)
    {
        var variants = new List<HlsVariant>(listed.Count);
        foreach (var rendition in listed)
        {
            variants.Add(Variant(rendition, WithQuery($"../{System.Uri.EscapeDataString(rendition.Name)}.m3u8", query(rendition))));
        }
        return variants;
    }

    /// <summary>
    /// /{app}/{group}/cmaf.m3u8 or llhls.m3u8: each variant is a rendition's video playlist
    /// (../{name}/video.m3u8 or video-ll.m3u8); audio is one EXT-X-MEDIA group, the top
    /// rendition's audio playlist, for every rendition whose AudioSpecificConfig is the top's, and
    /// a group of its own (audio-{name}) for one whose audio differs.
    /// </summary>
    public static CmafMultivariant Cmaf(IReadOnlyList<Rendition> listed, Rendition top, bool lowLatency, Func<Rendition, string?> query)
    {
        var variants = new List<HlsVariant>(listed.Count);
        var audio = new List<HlsAudioRendition>();
        foreach (var rendition in listed)
        {
            var track = rendition.HasVideo ? Fmp4TrackKind.Video : Fmp4TrackKind.Audio;
            var variant = Variant(rendition, FileUri(rendition, CmafName.Playlist(track, lowLatency), query));
            if (rendition.HasVideo && rendition.HasAudio)
            {
                var shared = rendition.SharesAudioWith(top) && top.HasAudio;
                var source = shared ? top : rendition;
                var group = shared ? SharedAudioGroup : $"{SharedAudioGroup}-{rendition.Name}";
                variant = variant with { AudioGroupId = group };
                if (!audio.Exists(a => a.GroupId == group))
                {
                    audio.Add(new HlsAudioRendition(group, "audio", FileUri(source, CmafName.Playlist(Fmp4TrackKind.Audio, lowLatency), query))
                    {
                        Channels = source.AudioChannels,
                    });
                }
            }
            variants.Add(variant);
        }
        return new CmafMultivariant(variants, audio);
    }

    /// <summary>
    /// EXT-X-RENDITION-REPORT for another rendition of the group, in a rendition's LL-HLS video
    /// playlist: its video-ll.m3u8 (../{name}/video-ll.m3u8, without the playlist's query) and
    /// its newest part. Null before it has a part.
    /// </summary>
    public static HlsRenditionReport? Report(string name, CmafTrackSnapshot? video)
    {
        if (video is null || video.LastPartMsn < 0)
        {
            return null;
        }
        return new HlsRenditionReport($"../{System.Uri.EscapeDataString(name)}/{CmafName.Playlist(Fmp4TrackKind.Video, lowLatency: true)}",
            video.LastPartMsn, video.LastPart)
        {
            WithoutQuery = true,
        };
    }

    private static HlsVariant Variant(Rendition rendition, string uri) => new(uri, rendition.PeakBitsPerSecond, rendition.Codecs)
    {
        AverageBandwidth = rendition.AverageBitsPerSecond,
        Width = rendition.Width,
        Height = rendition.Height,
        FrameRateNumerator = rendition.FrameRateNumerator,
        FrameRateDenominator = rendition.FrameRateDenominator,
    };

    /// <summary>A file of a rendition's CMAF packaging, from a file beside the group's (../{name}/{file}).</summary>
    private static string FileUri(Rendition rendition, string file, Func<Rendition, string?> query) =>
        WithQuery($"../{System.Uri.EscapeDataString(rendition.Name)}/{file}", query(rendition));

    internal static string WithQuery(string uri, string? query) => string.IsNullOrEmpty(query) ? uri : $"{uri}?{query}";
}
