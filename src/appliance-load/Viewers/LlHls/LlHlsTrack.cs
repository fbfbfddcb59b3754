using System.Diagnostics;
using System.Text;
using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Cmaf;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.LlHls;

/// <summary>
/// One media playlist of an LL-HLS player (hls.js in low-latency mode), on two kept connections as
/// a browser has them: the playlist loop reloads it blocking (_HLS_msn and _HLS_part of the
/// preload-hinted part, so the node answers when that part exists), and the part loop
/// (<see cref="RunPartsAsync"/>) fetches each new part in order, the hinted one ahead of its
/// completion so the node holds it. The playlist loop hands each playlist to the part loop in one
/// of two buffers it swaps under a lock: nothing is allocated per reload.
/// </summary>
internal sealed partial class LlHlsTrack : IAsyncDisposable
{
    private const long MaxPlaylistBytes = 1 << 20;
    private const int FailuresToGiveUp = 3;

    /// <summary>The node's Retry-After, and the pause after any failed request.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly StreamUrl _url;
    private readonly string _path;
    private readonly byte[] _pathBytes;
    private readonly ViewerStats _stats;
    private readonly CmafStats _cmaf;
    private readonly PartClock _clock;
    private readonly TimeSpan _timeout;
    private readonly HttpGetConnection _playlistConnection;
    private readonly RequestWriter _playlistRequest;
    private readonly Published<LowLatencyPlaylist> _playlists = new(new LowLatencyPlaylist(), new LowLatencyPlaylist());
    private readonly Action<LowLatencyPlaylist> _noteMap;
    private readonly MediaGap _gap;
    private byte[] _mapUri = [];
    private int _mapVersion;
    private int _track = -1;

    /// <param name="path">The media playlist's path and query on the URL's server.</param>
    public LlHlsTrack(StreamUrl url, string path, ViewerStats stats, PartClock clock, TimeSpan timeout, HttpGetConnection? playlistConnection = null)
    {
        _url = url;
        _path = path;
        _pathBytes = Encoding.ASCII.GetBytes(path);
        _stats = stats;
        _cmaf = stats.Cmaf!;
        _clock = clock;
        _timeout = timeout;
        _playlistConnection = playlistConnection ?? new HttpGetConnection(url, stats);
        _playlistRequest = new RequestWriter(url, stats.Player);
        _partConnection = new HttpGetConnection(url, stats);
        _partRequest = new RequestWriter(url, stats.Player);
        _gap = _cmaf.NewTrack();
        _noteMap = NoteMap;
    }

    /// <summary>TCP connections this track opened.</summary>
    public int Connects => _playlistConnection.Connects + _partConnection.Connects;

    public async ValueTask DisposeAsync()
    {
        await _playlistConnection.DisposeAsync().ConfigureAwait(false);
        await _partConnection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reloads the playlist until it ends (which returns why) or <paramref name="stop"/> (which throws).</summary>
    public async Task<string> RunPlaylistAsync(CancellationToken stop)
    {
        long msn = -1;
        var part = -1;
        var failures = 0;
        while (true)
        {
            var playlist = _playlists.Spare;
            playlist.Clear();
            _playlistRequest.Write("/", _pathBytes, msn: msn, part: part);
            _cmaf.OnManifestRequest(blocking: msn >= 0);
            var sent = Stopwatch.GetTimestamp();
            var result = await _playlistConnection.GetAsync(_playlistRequest.Request, playlist, MaxPlaylistBytes, _timeout, stop).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            if (!result.Ok)
            {
                _cmaf.OnFailure("playlist", result);
                if (++failures >= FailuresToGiveUp)
                {
                    return $"playlist: {result.Describe()} {failures} times in a row";
                }
                await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
                continue;
            }
            failures = 0;
            if (playlist.Parse() is { } problem)
            {
                _cmaf.OnMalformed($"a playlist {problem}");
                return $"malformed playlist: {problem}";
            }
            _gap.TargetDurationMs = playlist.TargetDurationMs;
            if (msn >= 0 && _track >= 0 && FirstAtOrAfter(playlist, msn, part) is var (answeredMsn, answeredPart))
            {
                _clock.Record(_track, answeredMsn, answeredPart, HeldKind.Playlist, sent, now);
            }
            var (lastMsn, lastPart) = (msn, part);
            if (playlist.HasHint && playlist.CanBlockReload)
            {
                (msn, part) = (playlist.OpenMsn, playlist.HintIndex);
            }
            else
            {
                (msn, part) = (-1, -1);
            }
            var ended = playlist.Ended;
            _playlists.Publish(_noteMap);
            if (ended)
            {
                return "the playlist ended (#EXT-X-ENDLIST)";
            }
            if (msn < 0 || (msn, part) == (lastMsn, lastPart))
            {
                // Nothing to block on, or nothing new: reload after a part rather than at once.
                await Task.Delay(TimeSpan.FromMilliseconds(playlist.PartTargetMs), stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The part of a blocking reload's answer that satisfied it: the one asked for, or the first after it (past a segment's end).</summary>
    private static (long Msn, int Part)? FirstAtOrAfter(LowLatencyPlaylist playlist, long msn, int part)
    {
        foreach (var listed in playlist.Parts)
        {
            if (listed.Msn > msn || (listed.Msn == msn && listed.Index >= part))
            {
                return (listed.Msn, listed.Index);
            }
        }
        return null;
    }

    /// <summary>Under the lock of the publication: a new EXT-X-MAP is a new init, and a new track for the clock.</summary>
    private void NoteMap(LowLatencyPlaylist playlist)
    {
        if (playlist.MapUri.SequenceEqual(_mapUri))
        {
            return;
        }
        _mapUri = playlist.MapUri.ToArray();
        _mapVersion++;
        var resolved = _url.ResolveOnSameServer(new Uri(_url.Uri, _path), Encoding.UTF8.GetString(_mapUri));
        _track = resolved is null ? -1 : _clock.Track(resolved.Split('?')[0]);
    }
}
