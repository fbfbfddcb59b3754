using System.Diagnostics;
using Appliance.Load.Cli;
using Appliance.Load.Report;
using Appliance.Load.Targets;
using Appliance.Load.Viewers;
using Appliance.Load.Viewers.Dash;
using Appliance.Load.Viewers.Hls;
using Appliance.Load.Viewers.LlHls;

namespace Appliance.Load.Run;

/// <summary>
/// One run: viewers started at the ramp rate, all stopped when the duration is up (the ramp counts
/// towards it), and a hard cap after which the run gives up waiting for them. With churn, once the
/// ramp is done, each second stops that many playing viewers at random and starts as many new ones.
/// </summary>
internal sealed class LoadRun
{
    public static readonly TimeSpan HardCapSlack = TimeSpan.FromSeconds(30);

    private readonly LoadOptions _options;

    public LoadRun(LoadOptions options)
    {
        _options = options;
        // A publish-only run (--publish without --url) has no viewers.
        Viewers = new ViewerStats[options.Urls.Count == 0 ? 0 : options.Viewers];
        for (var i = 0; i < Viewers.Length; i++)
        {
            Viewers[i] = NewViewer(i);
        }
    }

    /// <summary>Round robin, so every URL gets its share at every point of the ramp (and of the churn).</summary>
    private ViewerStats NewViewer(int player)
    {
        var target = player % _options.Urls.Count;
        return new ViewerStats(target, _options.Urls[target].Protocol, _options.Stamps) { Player = player };
    }

    public IReadOnlyList<StreamUrl> Urls => _options.Urls;

    /// <summary>Every viewer of the run; with churn it grows as viewers are added (a new array each time).</summary>
    public ViewerStats[] Viewers { get; private set; }

    /// <summary>With churn: viewers it stopped (each counts as finished) and the ones it started in their place.</summary>
    public int ChurnStopped { get; private set; }

    public int ChurnStarted { get; private set; }

    public int ChurnPerSecond => _options.Churn;

    public double RampPerSecond => _options.RampPerSecond;

    /// <summary>LL-HLS and DASH players: when the node answered each part, over all of them.</summary>
    public PartClock Parts { get; } = new();

    /// <summary>What <see cref="Parts"/> measured, once the viewers have stopped; null before, or without LL-HLS and DASH players.</summary>
    public PartClockFigures? PartFigures { get; private set; }

    /// <summary>When the first viewer started (a Stopwatch timestamp): the zero of times in the viewers' CSV.</summary>
    public long StartedAt { get; private set; }

    /// <summary>From the first viewer's start to the moment the run told every viewer to stop.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Runs to the end; false when viewers were still busy at the hard cap.</summary>
    public async Task<bool> ExecuteAsync()
    {
        await ResolveHostsAsync().ConfigureAwait(false);
        // Live bodies close the connection at the end; an HLS player keeps it for its segments.
        var requests = _options.Urls
            .Select(u => u.Protocol == StreamProtocol.Hls ? [] : u.HttpRequest)
            .ToArray();
        var duration = TimeSpan.FromSeconds(_options.DurationSeconds);
        Watchdog.Start(duration + HardCapSlack + TimeSpan.FromSeconds(5));

        using var runOver = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        StartedAt = start;
        using var progress = _options.Progress ? new ProgressPrinter(this, start) : null;
        var tasks = new List<Task>(Viewers.Length);
        var churn = _options.Churn > 0 && Viewers.Length > 0 ? new Churn(this, requests, runOver.Token) : null;
        while (tasks.Count < Viewers.Length)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= duration)
            {
                break;
            }
            var due = Math.Min(Viewers.Length, (int)(elapsed.TotalSeconds * _options.RampPerSecond) + 1);
            while (tasks.Count < due)
            {
                tasks.Add(churn is null ? StartViewer(Viewers[tasks.Count], requests, runOver.Token) : churn.Start(tasks.Count));
            }
            var next = TimeSpan.FromSeconds(tasks.Count / _options.RampPerSecond) - Stopwatch.GetElapsedTime(start);
            if (tasks.Count < Viewers.Length && next > TimeSpan.Zero)
            {
                await Task.Delay(next).ConfigureAwait(false);
            }
        }

        if (churn is not null)
        {
            await churn.RunAsync(tasks, start, duration).ConfigureAwait(false);
        }
        var left = duration - Stopwatch.GetElapsedTime(start);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left).ConfigureAwait(false);
        }
        Elapsed = Stopwatch.GetElapsedTime(start);
        await runOver.CancelAsync().ConfigureAwait(false);

        var all = Task.WhenAll(tasks);
        var cap = duration + HardCapSlack - Stopwatch.GetElapsedTime(start);
        var completed = await Task.WhenAny(all, Task.Delay(cap > TimeSpan.Zero ? cap : TimeSpan.Zero)).ConfigureAwait(false) == all;
        if (_options.Urls.Any(u => u.Protocol is StreamProtocol.LlHls or StreamProtocol.Dash))
        {
            PartFigures = Parts.Finish();
        }
        return completed;
    }

    private Task StartViewer(ViewerStats stats, byte[][] requests, CancellationToken runOver)
    {
        var url = _options.Urls[stats.Target];
        return url.Protocol switch
        {
            StreamProtocol.Rtmp => RtmpViewer.RunAsync(url, stats, runOver),
            // Each HLS player sends its own User-Agent, so the node counts it as an HLS session of its own.
            StreamProtocol.Hls => HlsViewer.RunAsync(url, url.GetRequest(url.PathAndQuery, keepAlive: true, stats.Player), stats, _options.Timeout, runOver),
            StreamProtocol.LlHls => LlHlsViewer.RunAsync(url, Parts, stats, _options.Timeout, runOver),
            StreamProtocol.Dash => DashViewer.RunAsync(url, Parts, stats, _options.Timeout, runOver),
            _ => HttpLiveViewer.RunAsync(url, requests[stats.Target], stats, runOver),
        };
    }

    /// <summary>Resolves names once, so a thousand viewers do not make a thousand lookups.</summary>
    private async Task ResolveHostsAsync()
    {
        foreach (var url in _options.Urls)
        {
            if (System.Net.IPAddress.TryParse(url.Host, out _))
            {
                continue;
            }
            var addresses = await System.Net.Dns.GetHostAddressesAsync(url.Host).ConfigureAwait(false);
            var preferred = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault();
            if (preferred is not null)
            {
                url.ConnectHost = preferred.ToString();
            }
        }
    }

    /// <summary>
    /// The churn of one run: every viewer gets a token of its own (linked to the run's), so one can
    /// be stopped alone; a viewer stopped that way ends as if the run had ended for it.
    /// </summary>
    private sealed class Churn(LoadRun run, byte[][] requests, CancellationToken runOver)
    {
        private readonly ChurnPicker _picker = new(run._options.Seed);
        private readonly Dictionary<int, CancellationTokenSource> _stoppers = [];
        private readonly List<ViewerStats> _all = [.. run.Viewers];

        public Task Start(int index)
        {
            var stats = _all[index];
            var stopper = CancellationTokenSource.CreateLinkedTokenSource(runOver);
            _stoppers[index] = stopper;
            _picker.Add(index);
            return run.StartViewer(stats, requests, stopper.Token);
        }

        /// <summary>From the end of the ramp to the end of the run: a tick a second.</summary>
        public async Task RunAsync(List<Task> tasks, long start, TimeSpan duration)
        {
            var rampEnd = Stopwatch.GetElapsedTime(start);
            for (var tick = 1; ; tick++)
            {
                var at = rampEnd + TimeSpan.FromSeconds(tick);
                if (at >= duration)
                {
                    return;
                }
                var wait = at - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }
                foreach (var index in _picker.Pick(run._options.Churn, i => _all[i].State))
                {
                    _all[index].Churned = true;
                    run.ChurnStopped++;
                    // Cancel returns once the viewer's continuations ran far enough to see it; its
                    // task ends on its own, and the token source goes with it.
                    var stopper = _stoppers[index];
                    _stoppers.Remove(index);
                    await stopper.CancelAsync().ConfigureAwait(false);
                    _ = tasks[index].ContinueWith(static (_, s) => ((CancellationTokenSource)s!).Dispose(), stopper, TaskScheduler.Default);
                }
                for (var i = 0; i < run._options.Churn; i++)
                {
                    _all.Add(run.NewViewer(_all.Count));
                    tasks.Add(Start(_all.Count - 1));
                    run.ChurnStarted++;
                }
                // A new array, so the progress printer (on another thread) reads a consistent one.
                run.Viewers = [.. _all];
            }
        }
    }
}
