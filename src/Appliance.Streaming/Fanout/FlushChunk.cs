namespace Appliance.Streaming.Fanout;

/// <summary>
/// Part of a merged flush: up to <see cref="Size"/> writers, flushed one after another by one
/// thread-pool work item (<see cref="ConnectionWriter.FlushMedia"/>). A flush of N viewers queues
/// N / Size items instead of waking N send loops, each a thread-pool item and an async method
/// resumed of its own; the chunks still spread over every core. Chunks are pooled: a flush
/// allocates nothing once the pool holds as many as the largest flush used.
/// </summary>
internal sealed class FlushChunk : IThreadPoolWorkItem
{
    /// <summary>
    /// Writers per work item: enough that queueing the item is small beside the writes (each a
    /// system call), few enough that a flush of a few hundred viewers still spreads over the cores.
    /// </summary>
    public const int Size = 64;

    // 20,000 viewers of one stream take 313 chunks; more than this many idle ones are let go.
    private const int MaxPooled = 1024;
    private static readonly Lock PoolLock = new();
    private static readonly Stack<FlushChunk> Pool = new();

    private readonly ConnectionWriter[] _writers = new ConnectionWriter[Size];
    private int _count;
    private FlushChunk? _next;

    public void Execute()
    {
        for (var i = 0; i < _count; i++)
        {
            var writer = _writers[i];
            _writers[i] = null!;
            writer.FlushMedia();
        }
        _count = 0;
        lock (PoolLock)
        {
            if (Pool.Count < MaxPooled)
            {
                Pool.Push(this);
            }
        }
    }

    private static FlushChunk Rent()
    {
        lock (PoolLock)
        {
            if (Pool.TryPop(out var chunk))
            {
                return chunk;
            }
        }
        return new FlushChunk();
    }

    /// <summary>
    /// A flush's chunks: filled while the caller holds whatever guards its list of writers, and
    /// queued once it has let go of it, so the chunks' writes do not wait for the flush's own lock.
    /// </summary>
    internal struct Builder
    {
        private FlushChunk? _first;
        private FlushChunk? _last;

        public void Add(ConnectionWriter writer)
        {
            if (_last is null || _last._count == Size)
            {
                var chunk = Rent();
                if (_last is null)
                {
                    _first = chunk;
                }
                else
                {
                    _last._next = chunk;
                }
                _last = chunk;
            }
            _last._writers[_last._count++] = writer;
        }

        public readonly void Queue()
        {
            for (var chunk = _first; chunk is not null;)
            {
                var next = chunk._next;
                chunk._next = null;
                ThreadPool.UnsafeQueueUserWorkItem(chunk, preferLocal: false);
                chunk = next;
            }
        }
    }
}
