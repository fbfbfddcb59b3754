using Appliance.Codecs.Fmp4;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>What the HTTP side calls: the snapshot, file lookups, and waits for parts to come. Thread-safe; no lock on the stream.</summary>
public sealed partial class CmafPackager
{
    private readonly WaiterLimit _limit;
    private readonly PartWaiters _videoWaiters;
    private readonly PartWaiters _audioWaiters;

    /// <summary>The playlists, MPDs and files as of the newest part.</summary>
    public CmafSnapshot Snapshot => _snapshot;

    /// <summary>Completes when the playlists list hls.minSegments segments (or the stream ended): a first request waits for it, within a bound of its own.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The part target, constant for the stream's life (EXT-X-PART-INF PART-TARGET).</summary>
    public long PartTargetMs => _options.PartTargetMs;

    /// <summary>Requests held now over both tracks, and the most this stream holds (cmaf.maxHeldRequests).</summary>
    public int HeldRequests => _limit.Count;

    public int MaxHeldRequests => _limit.Max;

    /// <summary>
    /// Waits until part <paramref name="part"/> of segment <paramref name="msn"/> of the track, or
    /// a later part, exists, or segment <paramref name="msn"/> is complete (the condition of a
    /// preload-hinted part and of the next LL-DASH chunk: a part past the segment's end never
    /// comes, and the segment's completion says so; an LL-HLS blocking reload asking for such a
    /// part then waits for part 0 of the next segment, RFC 8216bis 6.2.5.2). Completes at once when
    /// it exists already; <see cref="CmafWaitResult.TooManyWaiters"/> at once when the stream holds
    /// <see cref="MaxHeldRequests"/> requests. Never throws for the token: a cancelled wait
    /// completes with <see cref="CmafWaitResult.Cancelled"/>. Nothing is allocated per wait: the
    /// result comes from a pooled waiter, so await it exactly once (or call AsTask once).
    /// </summary>
    public ValueTask<CmafWaitResult> WaitForPartAsync(Fmp4TrackKind track, long msn, int part, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        return Waiters(track).WaitAsync(msn, part, cancellationToken);
    }

    /// <summary>As <see cref="WaitForPartAsync"/>, until segment <paramref name="msn"/> is complete (_HLS_msn without _HLS_part).</summary>
    public ValueTask<CmafWaitResult> WaitForSegmentAsync(Fmp4TrackKind track, long msn, CancellationToken cancellationToken = default) =>
        Waiters(track).WaitAsync(msn, -1, cancellationToken);

    /// <summary>
    /// Looks up an init, segment or part by name (<see cref="CmafName.TryParse"/>); on
    /// <see cref="CmafFileStatus.Found"/> the caller owns one reference in <paramref name="resource"/>.
    /// Playlists are not files: write them from <see cref="Snapshot"/>.
    /// </summary>
    public CmafFileStatus Find(in CmafName name, out CmafResource resource)
    {
        resource = default;
        // A part of the segment in progress can be released between reading a snapshot and
        // pinning it (its segment completed): the next snapshot serves it from the segment's file.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var snapshot = _snapshot;
            var track = snapshot.Track(name.Track);
            CmafFileStatus? status = track is null ? CmafFileStatus.NotFound : name.Kind switch
            {
                CmafFileKind.Init => FindInit(track, name.InitId, out resource),
                CmafFileKind.Segment => FindSegment(track, name.Number, snapshot.Ended, out resource),
                CmafFileKind.Part => FindPart(track, name.Number, name.Part, snapshot.Ended, out resource),
                _ => CmafFileStatus.NotFound,
            };
            if (status is { } found)
            {
                Count(found);
                return found;
            }
        }
        return CmafFileStatus.Gone;
    }

    private PartWaiters Waiters(Fmp4TrackKind track) => track == Fmp4TrackKind.Video ? _videoWaiters : _audioWaiters;

    private void Count(CmafFileStatus status)
    {
        if (status == CmafFileStatus.Found)
        {
            _video.Window.Cache.Hit();
        }
        else if (status is CmafFileStatus.Gone or CmafFileStatus.NotFound or CmafFileStatus.PastEnd)
        {
            _video.Window.Cache.Miss();
        }
    }

    private static CmafFileStatus FindInit(CmafTrackSnapshot track, uint id, out CmafResource resource)
    {
        resource = default;
        foreach (var init in track.Inits)
        {
            if (init.Id == id && init.File.TryAddRef())
            {
                resource = new CmafResource(init.File, 0, init.File.Length, ContentType(track.Kind));
                return CmafFileStatus.Found;
            }
        }
        return CmafFileStatus.Gone;
    }

    private static CmafFileStatus FindSegment(CmafTrackSnapshot track, long number, bool ended, out CmafResource resource)
    {
        resource = default;
        if (track.FindSegment(number) is { } segment)
        {
            if (!segment.File.TryAddRef())
            {
                return CmafFileStatus.Gone;
            }
            resource = new CmafResource(segment.File, 0, segment.File.Length, ContentType(track.Kind));
            return CmafFileStatus.Found;
        }
        if (!ended && (number == track.OpenNumber || number == track.OpenNumber + 1))
        {
            return CmafFileStatus.NotYet;
        }
        return number < track.OpenNumber ? CmafFileStatus.Gone : CmafFileStatus.NotFound;
    }

    /// <summary>The part, or null when its buffer was released meanwhile (look again in a newer snapshot).</summary>
    private static CmafFileStatus? FindPart(CmafTrackSnapshot track, long number, int index, bool ended, out CmafResource resource)
    {
        resource = default;
        if (track.FindSegment(number) is { } segment)
        {
            if (index >= segment.Parts.Length)
            {
                return CmafFileStatus.PastEnd;
            }
            if (!segment.File.TryAddRef())
            {
                return CmafFileStatus.Gone;
            }
            var part = segment.Parts[index];
            resource = new CmafResource(segment.File, part.Offset, part.Length, ContentType(track.Kind));
            return CmafFileStatus.Found;
        }
        if (ended || number > track.OpenNumber + 1)
        {
            return number < track.OpenNumber ? CmafFileStatus.Gone : CmafFileStatus.NotFound;
        }
        if (number < track.OpenNumber)
        {
            return CmafFileStatus.Gone;
        }
        var parts = number == track.OpenNumber ? track.OpenParts : [];
        if (index < parts.Length)
        {
            if (parts[index].Bytes.TryPin() is not { } buffer)
            {
                return null;
            }
            resource = new CmafResource(buffer, ContentType(track.Kind));
            return CmafFileStatus.Found;
        }
        // The preload hint, or a few parts further: held until they exist. Beyond that, no.
        return index - parts.Length < CmafTrackSnapshot.HeldPartsAhead ? CmafFileStatus.NotYet : CmafFileStatus.NotFound;
    }

    private static string ContentType(Fmp4TrackKind kind) => kind == Fmp4TrackKind.Video ? "video/mp4" : "audio/mp4";
}
