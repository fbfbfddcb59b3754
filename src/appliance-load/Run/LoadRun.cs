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
/// towards it), and a hard cap after which the run gives up waiting for them.
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
            // Round robin, so every URL gets its share at every point of the ramp.
            var target = i % options.Urls.Count;
            Viewers[i] = new ViewerStats(target, options.Urls[target].Protocol, options.Stamps) { Player = i };
        }
    }

    public IReadOnlyList<StreamUrl> Urls => _options.Urls;

    public ViewerStats[] Viewers { get; }

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
            .Select(u => u.Protocol == StreamProtocol.Hls ? u.GetRequest(u.PathAndQuery, keepAlive: true) : u.HttpRequest)
            .ToArray();
        var duration = TimeSpan.FromSeconds(_options.DurationSeconds);
        Watchdog.Start(duration + HardCapSlack + TimeSpan.FromSeconds(5));

        using var runOver = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        StartedAt = start;
        using var progress = _options.Progress ? new ProgressPrinter(this, start) : null;
        var tasks = new List<Task>(Viewers.Length);
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
                tasks.Add(StartViewer(tasks.Count, requests, runOver.Token));
            }
            var next = TimeSpan.FromSeconds(tasks.Count / _options.RampPerSecond) - Stopwatch.GetElapsedTime(start);
            if (tasks.Count < Viewers.Length && next > TimeSpan.Zero)
            {
                await Task.Delay(next).ConfigureAwait(false);
            }
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

    private Task StartViewer(int index, byte[][] requests, CancellationToken runOver)
    {
        var stats = Viewers[index];
        var url = _options.Urls[stats.Target];
        return url.Protocol switch
        {
            StreamProtocol.Rtmp => RtmpViewer.RunAsync(url, stats, runOver),
            StreamProtocol.Hls => HlsViewer.RunAsync(url, requests[stats.Target], stats, _options.Timeout, runOver),
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
}
