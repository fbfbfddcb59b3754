using Appliance.Codecs.Dash;
using Appliance.Codecs.Hls;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>The snapshot requests read, rebuilt when a part completes; the end of the stream; the end of packaging.</summary>
public sealed partial class CmafPackager
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<CmafSegment> _completed = [];
    private volatile CmafSnapshot _snapshot = CmafSnapshot.Empty;
    private bool _changed;
    // True at first, so the first snapshot has (empty) playlists to serve.
    private bool _segmentsChanged = true;
    private bool _ended;
    private HlsMediaSegment[] _videoListed = [];
    private HlsMediaSegment[] _audioListed = [];
    private HlsMediaPlaylist? _videoPlain;
    private HlsMediaPlaylist? _audioPlain;
    private CmafMultivariant _multivariant = new([], []);
    private CmafMultivariant _lowLatencyMultivariant = new([], []);
    private DashManifest? _dash;
    private DashManifest? _dashLowLatency;
    private (long Video, long VideoMs, long Audio, long AudioMs) _announced;

    /// <summary>The stream ended: both tracks' segments complete, the playlists get their end, held requests are answered.</summary>
    internal void End()
    {
        if (_ended)
        {
            return;
        }
        if (_video.IsOpen)
        {
            Complete(_video, _video.EstimatedEndMs);
        }
        if (_audio.IsOpen)
        {
            Complete(_audio, _audio.EstimatedEndMs);
        }
        _ended = true;
        _segmentsChanged = true;
        Publish();
        _videoWaiters.End();
        _audioWaiters.End();
        _ready.TrySetResult();
        _jumps.Flush();
        _audioNumbering.Flush();
    }

    /// <summary>Packaging stops (nobody asked for a while, or the ended stream is dropped): everything is freed.</summary>
    internal void Stop()
    {
        _ended = true;
        _snapshot = new CmafSnapshot(null, null, new([], []), new([], []), null, null, isReady: true, ended: true);
        ReleaseCompletedParts();
        _video.Abandon();
        _audio.Abandon();
        _video.Window.Clear();
        _audio.Window.Clear();
        _video.Init = null;
        _audio.Init = null;
        _videoWaiters.End();
        _audioWaiters.End();
        _ready.TrySetResult();
    }

    private void PublishIfChanged()
    {
        if (_changed)
        {
            Publish();
        }
    }

    private void Publish()
    {
        var now = NowMs;
        var hasVideo = _video.Init is not null || _video.Window.Segments.Length > 0;
        var hasAudio = _audio.Init is not null || _audio.Window.Segments.Length > 0;
        var context = new DashContext(_availabilityStartMs, now, _targetMs, _options.PartTargetMs, _options.DashPrefix, _options.UtcTimingUrl, _ended);
        if (_segmentsChanged)
        {
            _videoListed = CmafPlaylists.Listed(_video.Window);
            _audioListed = CmafPlaylists.Listed(_audio.Window);
            _videoPlain = CmafPlaylists.Plain(_video.Window, _videoListed, _targetMs, _ended);
            _audioPlain = CmafPlaylists.Plain(_audio.Window, _audioListed, _targetMs, _ended);
            _multivariant = CmafMultivariantBuilder.Build(hasVideo ? _video : null, hasAudio ? _audio : null, lowLatency: false);
            _lowLatencyMultivariant = CmafMultivariantBuilder.Build(hasVideo ? _video : null, hasAudio ? _audio : null, lowLatency: true);
            _dash = CmafDashBuilder.Build(hasVideo ? _video : null, hasAudio ? _audio : null, context, lowLatency: false);
        }
        var video = hasVideo ? TrackSnapshot(_video, _videoListed, _videoPlain!, hasAudio ? _audio : null, now) : null;
        var audio = hasAudio ? TrackSnapshot(_audio, _audioListed, _audioPlain!, hasVideo ? _video : null, now) : null;
        // The low-latency MPD changes with the segments and when a segment in progress is announced
        // (its first part) or outgrows the target; not with every part.
        var announced = (_video.Number, CmafDashBuilder.AnnouncedMs(_video, context), _audio.Number, CmafDashBuilder.AnnouncedMs(_audio, context));
        if (_segmentsChanged || announced != _announced)
        {
            _announced = announced;
            _dashLowLatency = CmafDashBuilder.Build(hasVideo ? _video : null, hasAudio ? _audio : null, context, lowLatency: true);
        }
        var primary = _video.Window.Segments.Length > 0 || _video.IsOpen ? _video : _audio;
        var ready = _ended || primary.Window.Segments.Length >= Math.Clamp(_options.MinSegments, 1, _options.WindowSegments);
        _snapshot = new CmafSnapshot(video, audio, _multivariant, _lowLatencyMultivariant, _dash, _dashLowLatency, ready, _ended);
        // Readers that took the previous snapshot retry with this one when a part's buffer is gone.
        ReleaseCompletedParts();
        if (video is not null)
        {
            _videoWaiters.Advance(video.LastComplete, video.LastPartMsn, video.LastPart);
        }
        if (audio is not null)
        {
            _audioWaiters.Advance(audio.LastComplete, audio.LastPartMsn, audio.LastPart);
        }
        if (ready)
        {
            _ready.TrySetResult();
        }
        _changed = false;
        _segmentsChanged = false;
    }

    private CmafTrackSnapshot TrackSnapshot(CmafTrack track, HlsMediaSegment[] listed, HlsMediaPlaylist plain, CmafTrack? other, long now)
    {
        var next = NextNumber(track);
        var lowLatency = CmafPlaylists.LowLatency(track, listed, _targetMs, _options.PartTargetMs, (next, track.BreakPending), other, now, _ended);
        return new CmafTrackSnapshot(track.Kind, plain, lowLatency, track.Window.Segments, track.IsOpen ? track.Number : next,
            [.. track.Parts], track.Window.Inits);
    }

    /// <summary>The number the track's next segment will have, when none is in progress.</summary>
    private long NextNumber(CmafTrack track)
    {
        if (ReferenceEquals(track, _audio) && !_audioLeads)
        {
            if (track.Number >= 0)
            {
                return track.Number + 1;
            }
            return _audioCuts.TryPeek(out var cut) ? cut.Number : Math.Max(0, _numbering.Next);
        }
        return Math.Max(0, _numbering.Next);
    }

    private void ReleaseCompletedParts()
    {
        foreach (var segment in _completed)
        {
            CmafTrack.ReleaseParts(segment);
        }
        _completed.Clear();
    }
}
