using Appliance.Codecs.Flv;
using Appliance.Core.Time;
using Appliance.Node.Config;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Node.Transcoding;

/// <summary>Why one ffmpeg stopped: stopped on purpose, the source ended, the source changed, nobody watched, or a failure.</summary>
internal enum ChildOutcome
{
    Stopped,
    SourceEnded,
    Changed,
    Idle,
    Failed,
}

internal sealed partial class Transcoder
{
    /// <summary>A child asked to stop gets this long after end of input, then SIGTERM, and as long again before SIGKILL.</summary>
    private const int StopGraceMs = 2_000;

    private const int TickMs = 1_000;

    private int _lastPid;

    /// <summary>
    /// One ffmpeg from start to end: credentials issued for its rungs, the process started (on the
    /// spawner's thread), the source fed to its stdin as an FLV forwarder (no viewer count, no limit),
    /// and once a second its health, the source and the rungs' viewers looked at.
    /// </summary>
    private async Task<(ChildOutcome Outcome, string Reason)> RunChildAsync(LadderPlan plan, AppConfig app)
    {
        var tokens = plan.Rungs.Select(r => _host.Tokens.Issue(r.Key)).ToList();
        var height = _source.Stats.Height;
        var decodeDelay = Math.Max(0, _source.Stats.KeyFrameCompositionMs);
        FfmpegChild child;
        try
        {
            var arguments = FfmpegCommand.Arguments(plan.Rungs, app.Ladder.Encoder, decodeDelay, _host.TargetFor(_source.Key), tokens);
            var process = await _host.StartChildAsync(arguments).ConfigureAwait(false);
            child = new FfmpegChild(process, LogLine);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or ObjectDisposedException)
        {
            RevokeTokens(plan);
            return (ChildOutcome.Failed, $"cannot start ffmpeg: {ex.Message}");
        }
        _child = child;
        _lastPid = child.Pid;
        _cpuOfChild = 0;
        _state = "running";
        TranscodeLog.Started(_host.Logger, _source.Key.ToString(), child.Pid, string.Join(", ", plan.Rungs.Select(r => $"{r.Key.Name} ({r.Height}p, {r.BitsPerSecond / 1000} kbit/s)")), app.Ladder.Encoder);
        var writer = new ConnectionWriter(new PipeSink(child.Input));
        var outcome = (ChildOutcome.Failed, "ffmpeg did not run");
        try
        {
            var feed = Feed(writer);
            outcome = await WatchAsync(child, feed, plan, height).ConfigureAwait(false);
            writer.Close(outcome.Item2);
            if (outcome.Item1 is ChildOutcome.Failed)
            {
                child.Signal(ProcessGroup.SigKill);
            }
            else
            {
                // The write under way finishes first: a tag cut short would end ffmpeg's input with an error.
                await Task.WhenAny(feed, Task.Delay(StopGraceMs)).ConfigureAwait(false);
                await child.StopAsync(StopGraceMs).ConfigureAwait(false);
            }
            await child.Exited.ConfigureAwait(false);
            // Whatever it started goes with it: the group outlives its leader while members are left.
            ProcessGroup.Signal(child.Pid, ProcessGroup.SigKill);
            return outcome;
        }
        finally
        {
            writer.Close("transcoder stopped");
            await child.DisposeAsync().ConfigureAwait(false);
            _child = null;
            _cpuOfEarlierChildren += _cpuOfChild;
            _cpuOfChild = 0;
            _cpuPercent = 0;
            RevokeTokens(plan);
            if (outcome.Item1 is not ChildOutcome.Failed || MonotonicClock.NowMs - child.StartedMs >= TranscoderBackoff.HealthyRunMs)
            {
                _failuresInARow = 0;
            }
        }
    }

    /// <summary>Starts feeding the source to the writer (FLV file header, then the stream as an FLV forwarder); the task ends with the feed.</summary>
    private Task<string> Feed(ConnectionWriter writer)
    {
        var header = new byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(header, _source.HasAudio || !_source.HasVideo, _source.HasVideo || !_source.HasAudio);
        writer.Send(header);
        var subscription = _source.SubscribeForwarder(writer, WireFormat.Flv);
        if (subscription is null)
        {
            writer.CloseAfterFlush("the source ended");
        }
        else
        {
            subscription.Ended = static s => s.Writer.CloseAfterFlush("the source ended");
        }
        return writer.RunAsync();
    }

    private async Task<(ChildOutcome, string)> WatchAsync(FfmpegChild child, Task<string> feed, LadderPlan plan, int height)
    {
        var lastFrames = -1L;
        var lastAdvanceMs = MonotonicClock.NowMs;
        var sourceFramesAtAdvance = _source.Stats.Frames;
        var lastViewerMs = MonotonicClock.NowMs;
        var cpuSample = (Cpu: 0.0, AtMs: MonotonicClock.NowMs);
        var stopped = Task.Delay(Timeout.Infinite, _stop.Token);
        while (true)
        {
            await Task.WhenAny(child.Exited, feed, stopped, Task.Delay(TickMs)).ConfigureAwait(false);
            var now = MonotonicClock.NowMs;
            if (_stop.IsCancellationRequested)
            {
                return (ChildOutcome.Stopped, _stopReason ?? "stopped");
            }
            if (feed.IsCompleted && !_source.IsEnded && !child.HasExited)
            {
                // A dying ffmpeg breaks its input first: its exit and last lines say why.
                await Task.WhenAny(child.Exited, Task.Delay(StopGraceMs)).ConfigureAwait(false);
            }
            if (child.HasExited)
            {
                await child.OutputReadAsync(StopGraceMs).ConfigureAwait(false);
                return _source.IsEnded ? (ChildOutcome.SourceEnded, "the source ended")
                    : (ChildOutcome.Failed, $"{child.ExitDescription}{(child.LastLines.Length > 0 ? ": " + child.LastLines : "")}");
            }
            if (feed.IsCompleted)
            {
                return _source.IsEnded ? (ChildOutcome.SourceEnded, "the source ended") : (ChildOutcome.Failed, $"its input stopped: {feed.Result}");
            }
            SampleCpu(child, ref cpuSample, now);
            var (report, reportedAtMs) = child.Progress;
            if (report.Frames != lastFrames)
            {
                (lastFrames, lastAdvanceMs, sourceFramesAtAdvance) = (report.Frames, now, _source.Stats.Frames);
            }
            else if (now - lastAdvanceMs > (reportedAtMs == 0 ? _host.Timings.StartTimeoutMs : _host.Timings.StallMs) && _source.Stats.Frames > sourceFramesAtAdvance)
            {
                return (ChildOutcome.Failed, $"stalled: no frame out for {(now - lastAdvanceMs) / 1000} s while the source went on");
            }
            if (_source.Stats.Height is > 0 and var h && h != height)
            {
                return (ChildOutcome.Changed, $"the source's height changed from {height} to {h}");
            }
            if (RungViewers(plan) > 0)
            {
                lastViewerMs = now;
            }
            var app = _host.AppOf(_source.Key);
            if (app?.Ladder is { Mode: LadderModes.OnDemand } ladder &&
                now - Math.Max(lastViewerMs, Interlocked.Read(ref _lastDemandMs)) > ladder.IdleStopSeconds * 1000L)
            {
                return (ChildOutcome.Idle, $"no viewer of a rung for {ladder.IdleStopSeconds} s");
            }
        }
    }

    private int RungViewers(LadderPlan plan)
    {
        var viewers = 0;
        foreach (var rung in plan.Rungs)
        {
            viewers += _host.Streams.FindForPlay(rung.Key)?.CountViewers().Total ?? 0;
        }
        return viewers;
    }

    private void SampleCpu(FfmpegChild child, ref (double Cpu, long AtMs) sample, long now)
    {
        if (ProcStat.Read(child.Pid) is not { } cpu)
        {
            return;
        }
        if (now > sample.AtMs)
        {
            _cpuPercent = Math.Max(0, cpu - sample.Cpu) * 100_000 / (now - sample.AtMs);
        }
        _cpuOfChild = cpu;
        sample = (cpu, now);
    }

    private void RevokeTokens(LadderPlan plan)
    {
        foreach (var rung in plan.Rungs)
        {
            _host.Tokens.Revoke(rung.Key);
        }
    }

    private void LogLine(int pid, string line)
    {
        if (_lines.Take(out var suppressed, out var seconds))
        {
            if (suppressed > 0)
            {
                TranscodeLog.LinesSuppressed(_host.Logger, _source.Key.ToString(), suppressed, seconds);
            }
            TranscodeLog.FfmpegLine(_host.Logger, _source.Key.ToString(), pid, line);
        }
    }
}
