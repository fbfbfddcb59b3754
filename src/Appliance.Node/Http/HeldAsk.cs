using System.Globalization;
using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Node.Http;

/// <summary>
/// What a held request asked for (a blocking reload's _HLS_msn and _HLS_part, a part or a
/// segment), told in the log when its hold ends without it, beside where the track stood then:
/// a player's buffer hole names the part it did not get, and this line says whether the node
/// never made it, made it too late, or made it and did not wake the request.
/// </summary>
internal readonly record struct HeldAsk(CmafFileKind Kind, Fmp4TrackKind Track, long Msn, int Part)
{
    public static HeldAsk Reload(in CmafName playlist, long msn, int part) => new(CmafFileKind.MediaPlaylist, playlist.Track, msn, part);

    public static HeldAsk File(in CmafName file) => new(file.Kind, file.Track, file.Number, file.Kind == CmafFileKind.Part ? file.Part : -1);

    /// <summary>The ask as the request spelled it, and where the track stood.</summary>
    public string Describe(CmafTrackSnapshot? track)
    {
        var asked = Kind switch
        {
            CmafFileKind.MediaPlaylist when Part < 0 => string.Create(CultureInfo.InvariantCulture, $"{CmafName.Playlist(Track, lowLatency: true)}?_HLS_msn={Msn}"),
            CmafFileKind.MediaPlaylist => string.Create(CultureInfo.InvariantCulture, $"{CmafName.Playlist(Track, lowLatency: true)}?_HLS_msn={Msn}&_HLS_part={Part}"),
            CmafFileKind.Part => CmafName.PartFile(Track, Msn, Part),
            _ => CmafName.SegmentFile(Track, Msn),
        };
        return track is null
            ? $"{asked}; the track is gone"
            : string.Create(CultureInfo.InvariantCulture,
                $"{asked}; the {CmafName.TrackName(Track)} track's newest part was {track.LastPartMsn}.{track.LastPart}, its newest complete segment {track.LastComplete}");
    }
}
