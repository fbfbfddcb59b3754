using System.Diagnostics;
using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Cmaf;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Dash;

/// <summary>
/// One DASH player, as dash.js plays a live MPD: the MPD reloaded every minimumUpdatePeriod on a
/// connection of its own, and a <see cref="DashSegmentLoop"/> per track (the first video and the
/// first audio AdaptationSet) on its own connection, each segment in order from the suggested
/// presentation delay behind the edge. With a low-latency MPD the segment in progress is listed,
/// and the node streams it chunk by chunk as its parts complete: the loop reads each chunk as it
/// arrives. A player whose first MPD fails has failed; later it stops when a static MPD's segments
/// are all in, after three failures in a row of one loop, or when the run ends.
/// </summary>
internal static class DashViewer
{
    private const long MaxMpdBytes = 1 << 20;
    private const int FailuresToGiveUp = 3;

    // dash.js reloads at minimumUpdatePeriod; a zero one would be a busy loop.
    private const double LeastReloadMs = 100;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(StreamUrl url, PartClock clock, ViewerStats stats, TimeSpan timeout, CancellationToken runOver)
    {
        stats.OnStart();
        var cmaf = stats.Cmaf!;
        var connection = new HttpGetConnection(url, stats);
        var loops = new List<DashSegmentLoop>(2);
        string? error = null;
        try
        {
            error = await PlayAsync(url, clock, stats, connection, loops, timeout, runOver).ConfigureAwait(false);
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
            var connects = connection.Connects;
            await connection.DisposeAsync().ConfigureAwait(false);
            foreach (var loop in loops)
            {
                connects += loop.Connects;
                await loop.DisposeAsync().ConfigureAwait(false);
            }
            cmaf.Connections = connects;
            cmaf.OnEnd();
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }

    private static async Task<string?> PlayAsync(
        StreamUrl url, PartClock clock, ViewerStats stats, HttpGetConnection connection, List<DashSegmentLoop> loops, TimeSpan timeout, CancellationToken runOver)
    {
        var cmaf = stats.Cmaf!;
        var mpds = new Published<Mpd>(new Mpd(), new Mpd());
        var request = new RequestWriter(url, stats.Player);
        request.Write("/", System.Text.Encoding.ASCII.GetBytes(url.PathAndQuery));
        if (await LoadAsync(mpds.Spare, request, cmaf, connection, timeout, runOver).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }
        var first = mpds.Spare;
        cmaf.FirstManifestMs = Stopwatch.GetElapsedTime(stats.StartedAt).TotalMilliseconds;
        cmaf.LowLatency = first.LowLatency;
        stats.OnPlaying();
        foreach (var content in (ReadOnlySpan<MpdContent>)[MpdContent.Video, MpdContent.Audio])
        {
            if (first.Track(content) is not null)
            {
                loops.Add(new DashSegmentLoop(url, content, mpds, stats, clock, timeout));
            }
        }
        if (loops.Count == 0)
        {
            return "the MPD has no video or audio AdaptationSet with a SegmentTemplate";
        }
        mpds.Publish();
        var all = new List<Func<CancellationToken, Task<string>>> { stop => ReloadAsync(mpds, request, cmaf, connection, timeout, stop) };
        all.AddRange(loops.Select(loop => (Func<CancellationToken, Task<string>>)loop.RunAsync));
        return await PlayerLoops.RunAsync(all, runOver).ConfigureAwait(false);
    }

    /// <summary>Reloads a dynamic MPD every minimumUpdatePeriod (from the start of the last load) until <paramref name="stop"/>.</summary>
    private static async Task<string> ReloadAsync(Published<Mpd> mpds, RequestWriter request, CmafStats cmaf, HttpGetConnection connection, TimeSpan timeout, CancellationToken stop)
    {
        var loadStarted = Stopwatch.GetTimestamp();
        var failures = 0;
        while (true)
        {
            double periodMs;
            lock (mpds.Lock)
            {
                var current = mpds.Current;
                periodMs = !current.Dynamic ? -1
                    : current.MinimumUpdatePeriodMs >= 0 ? current.MinimumUpdatePeriodMs
                    : current.MaxSegmentDurationMs > 0 ? current.MaxSegmentDurationMs : 2000;
            }
            if (periodMs < 0)
            {
                // A static MPD does not change: the segment loops end the player.
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            var wait = TimeSpan.FromMilliseconds(Math.Max(periodMs, LeastReloadMs)) - Stopwatch.GetElapsedTime(loadStarted);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop).ConfigureAwait(false);
            }
            loadStarted = Stopwatch.GetTimestamp();
            if (await LoadAsync(mpds.Spare, request, cmaf, connection, timeout, stop).ConfigureAwait(false) is not { } problem)
            {
                failures = 0;
                mpds.Publish();
                continue;
            }
            if (problem.StartsWith("malformed", StringComparison.Ordinal))
            {
                return problem;
            }
            if (++failures >= FailuresToGiveUp)
            {
                return $"{problem} {failures} times in a row";
            }
            await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
        }
    }

    /// <summary>One GET of the MPD into <paramref name="mpd"/>, parsed; null when it can be published, else why not.</summary>
    private static async Task<string?> LoadAsync(Mpd mpd, RequestWriter request, CmafStats cmaf, HttpGetConnection connection, TimeSpan timeout, CancellationToken stop)
    {
        mpd.Clear();
        cmaf.OnManifestRequest(blocking: false);
        var result = await connection.GetAsync(request.Request, mpd, MaxMpdBytes, timeout, stop).ConfigureAwait(false);
        if (!result.Ok)
        {
            cmaf.OnFailure("MPD", result);
            return $"MPD: {result.Describe()}";
        }
        if (mpd.Parse() is { } problem)
        {
            cmaf.OnMalformed($"an MPD {problem}");
            return $"malformed MPD: {problem}";
        }
        return null;
    }
}
