using System.Diagnostics;
using Appliance.Load.Cli;
using Appliance.Load.Run;
using Appliance.Load.Targets;

namespace Appliance.Load.Hostile;

/// <summary>
/// N hostile connections, at most C at once, the kinds dealt round robin over the listeners the
/// URLs name (RTMP kinds to rtmp:// URLs, HTTP kinds to http:// URLs). No connection starts after
/// the duration; each lives at most the wait; so the run ends by duration + wait.
/// </summary>
internal sealed class HostileRun
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private readonly LoadOptions _options;
    private readonly List<StreamUrl> _rtmp;
    private readonly List<StreamUrl> _http;
    private readonly StreamUrl[] _targets;
    private int _running;

    public HostileRun(LoadOptions options)
    {
        _options = options;
        _rtmp = options.Urls.Where(u => u.Protocol == StreamProtocol.Rtmp).ToList();
        _http = options.Urls.Where(u => u.Protocol != StreamProtocol.Rtmp).ToList();
        Kinds = HostileKinds.All.Where(k => (k.IsRtmp() ? _rtmp : _http).Count > 0).ToArray();
        Results = new HostileResult[options.Hostile];
        _targets = new StreamUrl[options.Hostile];
        for (var i = 0; i < Results.Length; i++)
        {
            var kind = Kinds[i % Kinds.Length];
            var urls = kind.IsRtmp() ? _rtmp : _http;
            _targets[i] = urls[i / Kinds.Length % urls.Count];
            Results[i] = new HostileResult(kind, $"{_targets[i].Authority} ({(kind.IsRtmp() ? "rtmp" : "http")})");
        }
    }

    /// <summary>The kinds in use: those whose listener one of the URLs names.</summary>
    public HostileKind[] Kinds { get; }

    public HostileResult[] Results { get; }

    public int Concurrency => _options.HostileConcurrency;

    public TimeSpan Wait => _options.HostileWait;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Runs to the end; false when connections were still busy at the hard cap.</summary>
    public async Task<bool> ExecuteAsync()
    {
        var duration = TimeSpan.FromSeconds(_options.DurationSeconds);
        var hardCap = duration + Wait + LoadRun.HardCapSlack;
        Watchdog.Start(hardCap + TimeSpan.FromSeconds(5));
        using var runOver = new CancellationTokenSource(hardCap);
        using var starting = new CancellationTokenSource(duration);
        var start = Stopwatch.GetTimestamp();
        using var progress = _options.Progress ? new Timer(_ => PrintProgress(start), null, ProgressInterval, ProgressInterval) : null;
        var seeds = new Random(_options.Seed);
        // Not disposed: connections still busy at the hard cap release it after this returns.
        var gate = new SemaphoreSlim(Concurrency);
        var tasks = new List<Task>(Results.Length);
        for (var i = 0; i < Results.Length; i++)
        {
            try
            {
                await gate.WaitAsync(starting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            tasks.Add(RunOneAsync(i, seeds.Next(), gate, runOver.Token));
        }
        var all = Task.WhenAll(tasks);
        var cap = hardCap - Stopwatch.GetElapsedTime(start);
        var completed = await Task.WhenAny(all, Task.Delay(cap > TimeSpan.Zero ? cap : TimeSpan.Zero)).ConfigureAwait(false) == all;
        Elapsed = Stopwatch.GetElapsedTime(start);
        return completed;
    }

    private async Task RunOneAsync(int index, int seed, SemaphoreSlim gate, CancellationToken runOver)
    {
        Interlocked.Increment(ref _running);
        try
        {
            var url = _targets[index];
            var path = url.Protocol == StreamProtocol.Rtmp ? "/" : url.PathAndQuery;
            await HostileConnection.RunAsync(Results[index], url.ConnectHost, url.Port, path, url.Authority, seed, Wait, runOver).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            gate.Release();
        }
    }

    private void PrintProgress(long start)
    {
        int closed = 0, failed = 0, leftOpen = 0;
        foreach (var result in Results)
        {
            switch (result.Outcome)
            {
                case HostileOutcome.ClosedByServer:
                    closed++;
                    break;
                case HostileOutcome.ConnectFailed:
                    failed++;
                    break;
                case HostileOutcome.LeftOpen:
                    leftOpen++;
                    break;
            }
        }
        Console.Error.WriteLine(
            $"appliance-load: t={Stopwatch.GetElapsedTime(start).TotalSeconds:F0}s hostile open={Volatile.Read(ref _running)} closed-by-server={closed} left-open={leftOpen} connect-failed={failed}");
    }
}
