using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// One track as requests see it between two parts: its playlists (written per request with
/// <see cref="HlsMediaPlaylistWriter"/>), where it stands (for blocking reloads), and the
/// segments, parts and inits a lookup may pin. Immutable; the packager swaps in a new one when a
/// part completes.
/// </summary>
public sealed class CmafTrackSnapshot
{
    /// <summary>
    /// How many parts past those that exist a part request is held for (the preload hint, or a
    /// few further); beyond, it is no part of ours yet (404).
    /// </summary>
    public const int HeldPartsAhead = 3;

    internal CmafTrackSnapshot(Fmp4TrackKind kind, HlsMediaPlaylist playlist, HlsMediaPlaylist lowLatencyPlaylist,
        CmafSegment[] segments, long openNumber, CmafPart[] openParts, CmafInit[] inits)
    {
        Kind = kind;
        Playlist = playlist;
        LowLatencyPlaylist = lowLatencyPlaylist;
        Segments = segments;
        OpenNumber = openNumber;
        OpenParts = openParts;
        Inits = inits;
        LastComplete = segments.Length > 0 ? segments[^1].Number : -1;
        if (openParts.Length > 0)
        {
            (LastPartMsn, LastPart) = (openNumber, openParts.Length - 1);
        }
        else if (segments.Length > 0)
        {
            (LastPartMsn, LastPart) = (segments[^1].Number, segments[^1].Parts.Length - 1);
        }
        else
        {
            (LastPartMsn, LastPart) = (-1, -1);
        }
    }

    public Fmp4TrackKind Kind { get; }

    /// <summary>The fMP4 HLS playlist (no parts): video.m3u8 or audio.m3u8.</summary>
    public HlsMediaPlaylist Playlist { get; }

    /// <summary>The LL-HLS playlist (parts, preload hint, rendition report): video-ll.m3u8 or audio-ll.m3u8.</summary>
    public HlsMediaPlaylist LowLatencyPlaylist { get; }

    /// <summary>The newest complete segment's number, or -1.</summary>
    public long LastComplete { get; }

    /// <summary>The segment the newest part belongs to (-1 before any), and that part's index.</summary>
    public long LastPartMsn { get; }

    public int LastPart { get; }

    /// <summary>The segment in progress, or the one that comes next.</summary>
    public long OpenNumber { get; }

    internal CmafSegment[] Segments { get; }

    internal CmafPart[] OpenParts { get; }

    internal CmafInit[] Inits { get; }

    /// <summary>The playlist lists part <paramref name="part"/> of segment <paramref name="msn"/> (segment complete when part is -1), or a later one.</summary>
    public bool Has(long msn, int part) => part < 0
        ? LastComplete >= msn
        : LastPartMsn > msn || (LastPartMsn == msn && LastPart >= part);

    /// <summary>
    /// RFC 8216bis 6.2.5.2's Advance Part Limit: three seconds of parts (three divided by the part
    /// target in seconds, 13 at the default 220 ms) when the part target is under a second, else
    /// three. hls.js asks this far ahead: a playlist it read late (its age past one part target,
    /// as on a busy machine) makes it ask for the part it reckons is live now, several past the
    /// newest it saw (its "CDN tune-in").
    /// </summary>
    public int AdvancePartLimit => AdvancePartLimitFor(LowLatencyPlaylist.PartTargetMs);

    /// <summary>The Advance Part Limit for a part target (RFC 8216bis 6.2.5.2), whole parts.</summary>
    public static int AdvancePartLimitFor(long partTargetMs) => partTargetMs is > 0 and < 1000 ? (int)(3000 / partTargetMs) : 3;

    /// <summary>
    /// A blocking request this far ahead is refused with 400 at once (RFC 8216bis 6.2.5.2): a
    /// segment more than two past the newest complete one, or a part more than
    /// <see cref="AdvancePartLimit"/> past the newest part (a part of a later segment counts from
    /// that segment's start, as if the newest part ended its segment).
    /// </summary>
    public bool IsTooFarAhead(long msn, int part)
    {
        if (msn > LastComplete + 2)
        {
            return true;
        }
        if (part < 0 || msn < LastPartMsn)
        {
            return false;
        }
        var limit = AdvancePartLimit;
        return msn == LastPartMsn ? part > LastPart + limit : part >= limit;
    }

    internal CmafSegment? FindSegment(long number)
    {
        var segments = Segments;
        if (segments.Length == 0)
        {
            return null;
        }
        var index = number - segments[0].Number;
        return index >= 0 && index < segments.Length && segments[index].Number == number ? segments[index] : null;
    }
}
