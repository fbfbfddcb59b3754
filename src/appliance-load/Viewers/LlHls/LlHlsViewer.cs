using System.Diagnostics;
using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Cmaf;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.LlHls;

/// <summary>
/// One LL-HLS player, as hls.js in low-latency mode: the URL's playlist, and when it is a
/// multivariant playlist, the first variant's media playlist and its audio rendition's, each
/// followed by an <see cref="LlHlsTrack"/> (blocking reloads and parts on two connections of its
/// own). A player whose first playlist fails has failed; later it stops at #EXT-X-ENDLIST, after
/// three failures in a row of one loop, or when the run ends.
/// </summary>
internal static class LlHlsViewer
{
    private const long MaxPlaylistBytes = 1 << 20;

    public static async Task RunAsync(StreamUrl url, PartClock clock, ViewerStats stats, TimeSpan timeout, CancellationToken runOver)
    {
        stats.OnStart();
        var cmaf = stats.Cmaf!;
        var connection = new HttpGetConnection(url, stats);
        var tracks = new List<LlHlsTrack>(2);
        string? error = null;
        try
        {
            error = await PlayAsync(url, clock, stats, connection, tracks, timeout, runOver).ConfigureAwait(false);
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
            var connects = tracks.Count == 0 ? connection.Connects : 0;
            await connection.DisposeAsync().ConfigureAwait(false);
            foreach (var track in tracks)
            {
                connects += track.Connects;
                await track.DisposeAsync().ConfigureAwait(false);
            }
            cmaf.Connections = connects;
            cmaf.OnEnd();
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }

    private static async Task<string?> PlayAsync(
        StreamUrl url, PartClock clock, ViewerStats stats, HttpGetConnection connection, List<LlHlsTrack> tracks, TimeSpan timeout, CancellationToken runOver)
    {
        var cmaf = stats.Cmaf!;
        var body = new ReusableBody();
        var request = new RequestWriter(url, stats.Player);
        request.Write("/", System.Text.Encoding.ASCII.GetBytes(url.PathAndQuery));
        cmaf.OnManifestRequest(blocking: false);
        var result = await connection.GetAsync(request.Request, body, MaxPlaylistBytes, timeout, runOver).ConfigureAwait(false);
        if (!result.Ok)
        {
            cmaf.OnFailure("playlist", result);
            return $"playlist: {result.Describe()}";
        }
        if (!MultivariantPlaylist.TryParse(body.Span, out var playlists, out var isMedia, out var problem))
        {
            cmaf.OnMalformed($"a playlist {problem}");
            return $"malformed playlist: {problem}";
        }
        cmaf.FirstManifestMs = Stopwatch.GetElapsedTime(stats.StartedAt).TotalMilliseconds;
        stats.OnPlaying();
        if (isMedia)
        {
            // The URL is the media playlist: its first reload goes on the connection already open.
            tracks.Add(new LlHlsTrack(url, url.PathAndQuery, stats, clock, timeout, connection));
        }
        else
        {
            var baseUri = url.Uri;
            foreach (var reference in playlists)
            {
                if (url.ResolveOnSameServer(baseUri, reference) is not { } path)
                {
                    return "a media playlist URI on another server";
                }
                tracks.Add(new LlHlsTrack(url, path, stats, clock, timeout, tracks.Count == 0 ? connection : null));
            }
        }
        var loops = new List<Func<CancellationToken, Task<string>>>();
        foreach (var track in tracks)
        {
            loops.Add(track.RunPlaylistAsync);
            loops.Add(track.RunPartsAsync);
        }
        return await PlayerLoops.RunAsync(loops, runOver).ConfigureAwait(false);
    }
}
