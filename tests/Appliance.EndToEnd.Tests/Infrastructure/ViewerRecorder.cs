namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Reads a viewer in the background and records what a player would notice: the first video
/// frame's type, frame counts, timestamps going backwards, the longest gap, and the end.
/// </summary>
public sealed class ViewerRecorder : IAsyncDisposable
{
    private readonly IMediaSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly List<MediaMessage> _firstMessages = [];
    private long _lastVideoTimestamp = -1;
    private long _lastMediaTicks;

    public ViewerRecorder(IMediaSource source)
    {
        _source = source;
        _lastMediaTicks = Environment.TickCount64;
        _loop = Task.Run(RunAsync);
    }

    public int VideoFrames { get; private set; }

    public int AudioFrames { get; private set; }

    public bool? FirstVideoFrameWasKey { get; private set; }

    public int BackwardSteps { get; private set; }

    public long LongestGapMs { get; private set; }

    public bool Ended { get; private set; }

    public Exception? Error { get; private set; }

    public long LastVideoTimestamp => Interlocked.Read(ref _lastVideoTimestamp);

    public IReadOnlyList<MediaMessage> FirstMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _firstMessages];
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await _source.ReadAsync(_stop.Token);
                if (message is not { } m)
                {
                    Ended = true;
                    return;
                }
                var now = Environment.TickCount64;
                lock (_gate)
                {
                    if (_firstMessages.Count < 16)
                    {
                        _firstMessages.Add(m);
                    }
                    if (m.IsVideo && !m.IsSequenceHeader)
                    {
                        FirstVideoFrameWasKey ??= m.IsKeyFrame;
                        if (m.Timestamp < _lastVideoTimestamp)
                        {
                            BackwardSteps++;
                        }
                        Interlocked.Exchange(ref _lastVideoTimestamp, m.Timestamp);
                        if (VideoFrames > 0)
                        {
                            LongestGapMs = Math.Max(LongestGapMs, now - _lastMediaTicks);
                        }
                        _lastMediaTicks = now;
                        VideoFrames++;
                    }
                    else if (m.IsAudio && !m.IsSequenceHeader)
                    {
                        AudioFrames++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Error = ex;
            Ended = true;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails with what was seen.</summary>
    public async Task WaitUntilAsync(Func<ViewerRecorder, bool> condition, TimeSpan timeout, string what)
    {
        var started = Environment.TickCount64;
        while (!condition(this))
        {
            if (Environment.TickCount64 - started > timeout.TotalMilliseconds)
            {
                throw new TimeoutException($"viewer: {what} not seen within {timeout.TotalSeconds:F0}s (video {VideoFrames}, audio {AudioFrames}, ended {Ended}, error {Error?.Message})");
            }
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        await _source.DisposeAsync();
        _stop.Dispose();
    }
}
