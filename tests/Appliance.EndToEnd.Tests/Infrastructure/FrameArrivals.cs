namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Reads a viewer in the background and keeps, for every video frame, its timestamp (followed
/// across RTMP's 32-bit wrap) and the wall clock at which it arrived, with the bytes received by
/// then: enough to say how late one viewer got a frame against another viewer of the same
/// stream, and where its timeline leapt ahead.
/// </summary>
public sealed class FrameArrivals : IAsyncDisposable
{
    private readonly IMediaSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly List<Arrival> _frames = [];
    private long _bytes;

    public FrameArrivals(IMediaSource source)
    {
        _source = source;
        _loop = Task.Run(RunAsync);
    }

    public readonly record struct Arrival(long Timestamp, long AtMs, long BytesBefore);

    public bool Ended { get; private set; }

    public Exception? Error { get; private set; }

    public IReadOnlyList<Arrival> Frames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _frames.Count;
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
                    _bytes += m.Payload.Length + 15;
                    if (m.IsVideo && !m.IsSequenceHeader)
                    {
                        _frames.Add(new Arrival(WrappedTimestamp.Extend(_frames.Count == 0 ? -1 : _frames[^1].Timestamp, m.Timestamp), now, _bytes));
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
