using System.Diagnostics;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Hls;

/// <summary>
/// One HLS player of a live media playlist, on one kept HTTP/1.1 connection: it starts three
/// segments from the end (RFC 8216 6.3.3), downloads each new segment once and in order, and
/// reloads the playlist a target duration after it began loading the last one, or half of it
/// when the last reload brought nothing new (6.3.4). It stops at #EXT-X-ENDLIST or when the run
/// ends. Segment bodies stream through the TS packet counter and are never held whole.
/// </summary>
internal static class HlsViewer
{
    private const int StartSegmentsFromEnd = 3;

    /// <summary>A player gives up after this many playlist failures in a row (the first one alone fails a viewer that never played).</summary>
    private const int PlaylistFailuresToGiveUp = 3;

    private const long MaxPlaylistBytes = 1 << 20;
    private const long MaxSegmentBytes = 256L << 20;

    /// <summary>Until a playlist has said its target duration, retries wait this long.</summary>
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(StreamUrl url, byte[] playlistRequest, ViewerStats stats, TimeSpan timeout, CancellationToken runOver)
    {
        stats.OnStart();
        var connection = new HttpGetConnection(url, stats);
        var playlistBody = new PooledBodyBuffer();
        string? error = null;
        try
        {
            error = await PlayAsync(url, playlistRequest, stats, connection, playlistBody, timeout, runOver).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (runOver.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = ErrorText.Of(e);
        }
        finally
        {
            playlistBody.Release();
            await connection.DisposeAsync().ConfigureAwait(false);
            stats.Hls!.Connections = connection.Connects;
            stats.Hls.OnEnd(Stopwatch.GetTimestamp());
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }

    /// <summary>Plays until the run ends (which throws) or returns why it stopped before.</summary>
    private static async Task<string> PlayAsync(
        StreamUrl url, byte[] playlistRequest, ViewerStats stats, HttpGetConnection connection, PooledBodyBuffer playlistBody,
        TimeSpan timeout, CancellationToken runOver)
    {
        var hls = stats.Hls!;
        var next = -1L;
        var lastNextSequence = -1L;
        var failuresInARow = 0;
        var retryDelay = FirstRetryDelay;
        while (true)
        {
            var loadStarted = Stopwatch.GetTimestamp();
            hls.PlaylistRequests++;
            var result = await connection.GetAsync(playlistRequest, playlistBody, MaxPlaylistBytes, timeout, runOver).ConfigureAwait(false);
            MediaPlaylist? playlist = null;
            var problem = "";
            var parsed = result.Ok && MediaPlaylist.TryParse(playlistBody.Span, out playlist, out problem);
            playlistBody.Release();
            if (result.Ok && !parsed)
            {
                return $"malformed playlist: {problem}";
            }
            if (!parsed)
            {
                hls.OnFailure("playlist", result);
                if (stats.State == ViewerState.Connecting || ++failuresInARow >= PlaylistFailuresToGiveUp)
                {
                    return $"playlist: {result.Describe()}";
                }
                await Task.Delay(retryDelay, runOver).ConfigureAwait(false);
                continue;
            }
            failuresInARow = 0;
            if (stats.State == ViewerState.Connecting)
            {
                hls.FirstPlaylistMs = Stopwatch.GetElapsedTime(stats.StartedAt).TotalMilliseconds;
                stats.OnPlaying();
            }
            var segments = playlist!.Segments;
            var changed = playlist.NextSequence != lastNextSequence || playlist.Ended;
            lastNextSequence = playlist.NextSequence;
            retryDelay = TimeSpan.FromMilliseconds(playlist.TargetDurationMs / 2);

            // Numbering that went back means the stream was restarted under the same name: start over.
            var startUp = (next < 0 || next > playlist.NextSequence) && segments.Count > 0;
            if (startUp)
            {
                next = segments[Math.Max(0, segments.Count - StartSegmentsFromEnd)].Sequence;
            }
            if (next >= 0 && next < playlist.MediaSequence)
            {
                hls.SkippedSegments += playlist.MediaSequence - next;
                next = playlist.MediaSequence;
            }
            foreach (var segment in segments)
            {
                if (segment.Sequence >= next)
                {
                    await DownloadAsync(url, segment, stats, connection, timeout, startUp, runOver).ConfigureAwait(false);
                    next = segment.Sequence + 1;
                }
            }
            if (playlist.Ended)
            {
                hls.Ended = true;
                return "the playlist ended (#EXT-X-ENDLIST)";
            }
            var wait = TimeSpan.FromMilliseconds(changed ? playlist.TargetDurationMs : playlist.TargetDurationMs / 2)
                - Stopwatch.GetElapsedTime(loadStarted);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, runOver).ConfigureAwait(false);
            }
        }
    }

    private static async Task DownloadAsync(
        StreamUrl url, PlaylistSegment segment, ViewerStats stats, HttpGetConnection connection, TimeSpan timeout, bool startUp, CancellationToken runOver)
    {
        var hls = stats.Hls!;
        var ts = stats.Ts!;
        if (url.ResolveOnSameServer(segment.Uri) is not { } path)
        {
            hls.OnFailure("segment", HttpGetResult.Failed("a segment URI on another server"));
            return;
        }
        hls.SegmentRequests++;
        ts.BeginUnit();
        var started = Stopwatch.GetTimestamp();
        var result = await connection.GetAsync(url.GetRequest(path, keepAlive: true, stats.Player), ts, MaxSegmentBytes, timeout, runOver).ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        if (!result.Ok)
        {
            hls.OnFailure("segment", result);
            return;
        }
        if (ts.CheckUnit() is { } malformed)
        {
            hls.OnMalformed($"a segment {malformed}");
        }
        if (!ts.UnitStartsWithPat)
        {
            hls.NotStartingWithPat++;
        }
        hls.OnSegment(stats.StartedAt, now, result.BodyBytes, Stopwatch.GetElapsedTime(started, now).TotalMilliseconds, segment.DurationMs, startUp);
        stats.OnSegmentMedia(ts.UnitVideoFrames, ts.UnitHasKeyFrame, now);
    }
}
