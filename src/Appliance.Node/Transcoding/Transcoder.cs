using Appliance.Core.Time;
using Appliance.Node.Config;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Transcoding;

/// <summary>
/// The transcoder of one source stream: one ffmpeg at a time making every rung of the plan, started
/// again with backoff when it dies or stalls, started afresh when the source's height changes (the
/// rungs below it change), and stopped when the source ends, when nobody watched a rung for the app's
/// idle time (on demand), or when the node stops. See <see cref="RunChildAsync"/> for one child's life.
/// </summary>
internal sealed partial class Transcoder
{
    private const int RungPollMs = 100;

    private readonly TranscodeManager _host;
    private readonly LiveStream _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LineBudget _lines = new();
    private readonly long _startedMs = MonotonicClock.NowMs;
    private volatile string _state = "starting";
    private volatile FfmpegChild? _child;
    private volatile LadderPlan? _plan;
    private volatile string _encoder = LadderEncoders.X264;
    private volatile string? _stopReason;
    private int _restarts;
    private int _failuresInARow;
    private long _lastDemandMs;
    private double _cpuOfEarlierChildren;
    private double _cpuOfChild;
    private double _cpuPercent;

    public Transcoder(TranscodeManager host, LiveStream source)
    {
        _host = host;
        _source = source;
        _lastDemandMs = _startedMs;
    }

    public StreamKey Source => _source.Key;

    /// <summary>Completes when the transcoder has stopped for good and its child is gone.</summary>
    public Task Ended => _ended.Task;

    public void Start() => _ = RunAsync();

    /// <summary>A viewer asked for a rung: the idle time counts from now.</summary>
    public void NoteDemand() => Interlocked.Exchange(ref _lastDemandMs, MonotonicClock.NowMs);

    /// <summary>Asked to stop; it may still be ending its child.</summary>
    public bool IsStopping => _stop.IsCancellationRequested || Ended.IsCompleted;

    public void Stop(string reason)
    {
        _stopReason ??= reason;
        _stop.Cancel();
    }

    /// <summary>
    /// The rung's stream once it has video (the transcoder published it and its header arrived),
    /// or null: the rung is not in this transcoder's plan, the transcoder stopped, or
    /// <paramref name="timeoutMs"/> passed.
    /// </summary>
    public async Task<LiveStream?> WaitForRungAsync(string label, int timeoutMs)
    {
        var deadline = MonotonicClock.NowMs + timeoutMs;
        var key = _source.Key with { Name = LadderPlan.RungName(_source.Key.Name, label) };
        while (!Ended.IsCompleted && MonotonicClock.NowMs < deadline)
        {
            if (_plan is { } plan && plan.Find(label) is null)
            {
                return null;
            }
            if (_host.Streams.FindForPlay(key) is { Source.IsTranscoded: true, Stats.Height: > 0 } rung)
            {
                return rung;
            }
            await Task.WhenAny(Ended, Task.Delay(RungPollMs)).ConfigureAwait(false);
        }
        return null;
    }

    public TranscoderStatus Snapshot()
    {
        var child = _child;
        var (report, _) = child?.Progress ?? default;
        var rungs = new List<RungStatus>();
        foreach (var rung in _plan?.Rungs ?? [])
        {
            var stats = _host.Streams.FindForPlay(rung.Key)?.Stats;
            rungs.Add(new RungStatus(rung.Label, rung.Key, rung.Height, rung.BitsPerSecond, stats?.BitsPerSecond ?? 0, stats?.Width ?? 0));
        }
        return new TranscoderStatus(_source.Key, _state, _encoder, child?.Pid ?? 0, report.Frames, report.Fps, report.Speed,
            Volatile.Read(ref _restarts), Volatile.Read(ref _cpuOfEarlierChildren) + Volatile.Read(ref _cpuOfChild), Volatile.Read(ref _cpuPercent),
            MonotonicClock.NowMs - _startedMs, rungs);
    }

    private async Task RunAsync()
    {
        var reason = "stopped";
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_source.IsEnded)
                {
                    reason = "the source ended";
                    break;
                }
                if (_host.AppOf(_source.Key) is not { Ladder.Rungs.Count: > 0 } app)
                {
                    reason = "the app has no ladder any more";
                    break;
                }
                var plan = LadderPlan.For(_source.Key, app.Ladder, _source.Stats.Height, app.MaxStreamNameLength);
                _plan = plan;
                _encoder = app.Ladder.Encoder;
                if (plan.Rungs.Count == 0)
                {
                    reason = $"no rung is below the source's {_source.Stats.Height} pixels";
                    break;
                }
                var (outcome, why) = await RunChildAsync(plan, app).ConfigureAwait(false);
                if (outcome is ChildOutcome.Changed)
                {
                    TranscodeLog.SourceChanged(_host.Logger, _source.Key.ToString(), why);
                    continue;
                }
                if (outcome is not ChildOutcome.Failed)
                {
                    reason = why;
                    break;
                }
                var restart = Interlocked.Increment(ref _restarts);
                var delay = TranscoderBackoff.DelayMs(++_failuresInARow);
                TranscodeLog.Failed(_host.Logger, _source.Key.ToString(), _lastPid, why, restart, delay);
                _state = "restarting";
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Nothing here is the source's fault: the transcoder stops and says why; the next viewer starts a new one.
            reason = $"internal error: {ex.Message}";
        }
        finally
        {
            _state = "stopped";
            _host.OnStopped(this);
            TranscodeLog.Stopped(_host.Logger, _source.Key.ToString(), _stopReason ?? reason);
            _ended.TrySetResult();
        }
    }
}
