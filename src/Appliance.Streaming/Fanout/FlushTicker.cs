namespace Appliance.Streaming.Fanout;

/// <summary>
/// Flushes every registered writer once per interval so each writes everything new in one merged
/// write (<see cref="FlushChunk"/>); with it the publisher signals nobody per frame. One ticker
/// serves all writers that share an interval.
/// </summary>
internal sealed class FlushTicker
{
    private static readonly Dictionary<int, FlushTicker> Tickers = [];
    private static readonly Lock TickersLock = new();

    private readonly Lock _lock = new();
    private ConnectionWriter[] _writers = new ConnectionWriter[16];
    private int _count;

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

    // O(1) add and remove (the last writer moves into the hole): a copy-on-write array would make
    // every join copy the whole set.
    public void Add(ConnectionWriter writer)
    {
        lock (_lock)
        {
            if (_count == _writers.Length)
            {
                Array.Resize(ref _writers, _writers.Length * 2);
            }
            writer.TickerSlot = _count;
            _writers[_count++] = writer;
        }
    }

    public void Remove(ConnectionWriter writer)
    {
        lock (_lock)
        {
            var slot = writer.TickerSlot;
            if (slot < 0 || slot >= _count || !ReferenceEquals(_writers[slot], writer))
            {
                return;
            }
            var last = _writers[--_count];
            _writers[slot] = last;
            last.TickerSlot = slot;
            _writers[_count] = null!;
            writer.TickerSlot = -1;
        }
    }

    private void Run(int intervalMs)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
        while (timer.WaitForNextTickAsync().AsTask().GetAwaiter().GetResult())
        {
            var chunks = new FlushChunk.Builder();
            lock (_lock)
            {
                for (var i = 0; i < _count; i++)
                {
                    chunks.Add(_writers[i]);
                }
            }
            chunks.Queue();
        }
    }
}
