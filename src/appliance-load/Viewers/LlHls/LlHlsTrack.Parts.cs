using System.Diagnostics;
using Appliance.Load.Report;
using Appliance.Load.Viewers.Cmaf;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.LlHls;

/// <summary>The part loop: each part once and in order, from PART-HOLD-BACK behind the edge.</summary>
internal sealed partial class LlHlsTrack
{
    private const long MaxPartBytes = 16L << 20;
    private const long MaxInitBytes = 1 << 20;

    // PART-HOLD-BACK is three part targets: start that far from the newest part, at an independent one.
    private const int StartPartsFromEnd = 3;

    private readonly HttpGetConnection _partConnection;
    private readonly RequestWriter _partRequest;
    private readonly Fmp4FragmentReader _reader = new();
    private readonly ReusableBody _init = new();
    private bool _isVideo;

    private enum Step
    {
        Wait,
        Init,
        Listed,
        Hint,
        Ended,

        /// <summary>A URI the load must not follow (another server, a template it cannot expand).</summary>
        Refused,
    }

    /// <summary>Fetches parts until the playlist ends (which returns why) or <paramref name="stop"/> (which throws).</summary>
    public async Task<string> RunPartsAsync(CancellationToken stop)
    {
        long msn = -1, seen = 0;
        int part = 0, loadedMap = 0, mapVersion, failures = 0;
        await _playlists.WaitNewerAsync(0, stop).ConfigureAwait(false);
        while (true)
        {
            Step step;
            PlaylistPart listed = default;
            int track;
            lock (_playlists.Lock)
            {
                seen = _playlists.Version;
                track = _track;
                mapVersion = _mapVersion;
                step = Decide(_playlists.Current, ref msn, ref part, loadedMap, out listed);
            }
            switch (step)
            {
                case Step.Wait:
                    await _playlists.WaitNewerAsync(seen, stop).ConfigureAwait(false);
                    continue;
                case Step.Ended:
                    return "the playlist ended (#EXT-X-ENDLIST)";
                case Step.Refused:
                    return "a part or init URI on another server";
                case Step.Init:
                    if (await FetchInitAsync(stop).ConfigureAwait(false))
                    {
                        loadedMap = mapVersion;
                        failures = 0;
                    }
                    else if (++failures >= FailuresToGiveUp)
                    {
                        return $"init: {_cmaf.FirstFailure}";
                    }
                    continue;
            }
            var hint = step == Step.Hint;
            _cmaf.OnMediaRequest(hint);
            _reader.Begin(null, _isVideo ? _stats.Latency : null);
            var sent = Stopwatch.GetTimestamp();
            var result = await _partConnection.GetAsync(_partRequest.Request, _reader, MaxPartBytes, _timeout, stop).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            if (result.Ok)
            {
                failures = 0;
                OnPart(track, msn, part, listed, hint, sent, now, result.BodyBytes);
                part++;
                continue;
            }
            if (hint && result.Status == 404)
            {
                // The segment ended before this part: the next playlist says where the next one is.
                _cmaf.OnHintNotMade();
                await _playlists.WaitNewerAsync(seen, stop).ConfigureAwait(false);
                continue;
            }
            _cmaf.OnFailure("part", result);
            if (++failures >= FailuresToGiveUp)
            {
                return $"part: {result.Describe()} {failures} times in a row";
            }
            if (result.Status == 404)
            {
                // A listed part gone: go on with the next, as a player skips a segment that failed.
                part++;
            }
            else
            {
                await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What to do next against <paramref name="playlist"/>, moving to the next segment or the live window as needed; writes the request.</summary>
    private Step Decide(LowLatencyPlaylist playlist, ref long msn, ref int part, int loadedMap, out PlaylistPart listed)
    {
        listed = default;
        if (_mapVersion != loadedMap && _mapUri.Length > 0)
        {
            return _partRequest.Write(_path, _mapUri) is null ? Step.Init : Step.Refused;
        }
        var parts = playlist.Parts;
        if (msn < 0)
        {
            if (parts.Count == 0)
            {
                return playlist.Ended ? Step.Ended : Step.Wait;
            }
            var start = Math.Max(0, parts.Count - StartPartsFromEnd);
            while (start > 0 && !parts[start].Independent)
            {
                start--;
            }
            (msn, part) = (parts[start].Msn, parts[start].Index);
        }
        while (true)
        {
            if (playlist.Find(msn, part) is var index and >= 0)
            {
                listed = parts[index];
                return _partRequest.Write(_path, playlist.UriOf(listed)) is null ? Step.Listed : Step.Refused;
            }
            if (playlist.HasHint && msn == playlist.OpenMsn && part == playlist.HintIndex)
            {
                // Whether it is independent, the playlist says once it is listed.
                listed = new PlaylistPart(msn, part, playlist.PartTargetMs, Independent: false, 0, 0);
                return _partRequest.Write(_path, playlist.HintUri) is null ? Step.Hint : Step.Refused;
            }
            if (msn <= playlist.LastComplete && playlist.PartsOf(msn) is var count and > 0 && part >= count)
            {
                (msn, part) = (msn + 1, 0);
                continue;
            }
            if (parts.Count > 0 && (msn < parts[0].Msn || (msn == parts[0].Msn && part < parts[0].Index)))
            {
                // The parts it wanted left the playlist: jump to the oldest listed, as a player that fell behind.
                _cmaf.OnSkipped(1);
                (msn, part) = (parts[0].Msn, parts[0].Index);
                continue;
            }
            return playlist.Ended ? Step.Ended : Step.Wait;
        }
    }

    private void OnPart(int track, long msn, int part, in PlaylistPart listed, bool hint, long sent, long now, long bytes)
    {
        if (_reader.End() is { } problem)
        {
            _cmaf.OnMalformed($"a part {problem}");
        }
        else if (_reader.Fragments == 0)
        {
            _cmaf.OnMalformed("a part without a moof and mdat");
        }
        _cmaf.OnMediaBody(bytes, _reader.Fragments);
        if (track >= 0)
        {
            _clock.Record(track, msn, part, HeldKind.Part, sent, now, couldWait: hint);
        }
        _gap.OnMedia(now);
        _stats.OnSegmentMedia(_isVideo ? _reader.Samples : 0, _isVideo && listed.Independent, now);
    }

    private async Task<bool> FetchInitAsync(CancellationToken stop)
    {
        _init.Clear();
        _cmaf.OnMediaRequest(hint: false);
        var result = await _partConnection.GetAsync(_partRequest.Request, _init, MaxInitBytes, _timeout, stop).ConfigureAwait(false);
        if (!result.Ok)
        {
            _cmaf.OnFailure("init", result);
            await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
            return false;
        }
        _isVideo = InitSegment.Handler(_init.Span) == "vide";
        return true;
    }
}
