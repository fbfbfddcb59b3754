namespace Appliance.Live.Fanout;

/// <summary>
/// Wakes every registered writer once per interval so each writes everything new in one merged
/// write; with it the publisher signals nobody per frame. One ticker serves all writers that
/// share an interval.
/// </summary>
internal sealed class FlushTicker
{
    private static readonly Dictionary<int, FlushTicker> Tickers = [];
    private static readonly Lock TickersLock = new();

    private readonly Lock _lock = new();
    private ConnectionWriter[] _writers = [];

    private FlushTicker(int intervalMs)
    {
        var thread = new Thread(() => Run(intervalMs)) { IsBackground = true, Name = $"flush-{intervalMs}ms" };
        thread.Start();
    }

    public static FlushTicker For(int intervalMs)
    {
        lock (TickersLock)
        {
            if (!Tickers.TryGetValue(intervalMs, out var ticker))
            {
                ticker = new FlushTicker(intervalMs);
                Tickers[intervalMs] = ticker;
            }
            return ticker;
        }
    }

    public void Add(ConnectionWriter writer)
    {
        lock (_lock)
        {
            _writers = [.. _writers, writer];
        }
    }

    public void Remove(ConnectionWriter writer)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_writers, writer);
            if (index < 0)
            {
                return;
            }
            var copy = new ConnectionWriter[_writers.Length - 1];
            Array.Copy(_writers, 0, copy, 0, index);
            Array.Copy(_writers, index + 1, copy, index, copy.Length - index);
            _writers = copy;
        }
    }

    private void Run(int intervalMs)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
        while (timer.WaitForNextTickAsync().AsTask().GetAwaiter().GetResult())
        {
            foreach (var writer in Volatile.Read(ref _writers))
            {
                writer.Notify();
            }
        }
    }
}
