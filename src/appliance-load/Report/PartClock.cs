using System.Diagnostics;

namespace Appliance.Load.Report;

/// <summary>The kinds of response that a part's completion answers.</summary>
internal enum HeldKind
{
    /// <summary>An LL-HLS blocking playlist reload (_HLS_msn, _HLS_part).</summary>
    Playlist,

    /// <summary>An LL-HLS request for a part (the preload hint, or a listed part).</summary>
    Part,

    /// <summary>A chunk of an LL-DASH segment streamed as it is made.</summary>
    Chunk,
}

/// <summary>
/// Times the node's answers to a part's completion, over every viewer of the run. The node does
/// not say when a part completed, so the first response that carries it, to any viewer and of any
/// kind, stands for that moment (an upper bound: the true completion was earlier by at least that
/// response's own latency). Each response whose request went out before that first arrival was
/// held for the part; its lag is its arrival minus the first arrival, and a part's figure is the
/// lag of its last held response: how long the node took to answer everyone waiting for it.
/// Responses to requests sent later were answered at once and are only counted, as are those the
/// player knows could not wait (a part the playlist listed, a segment the MPD had complete). A part is settled
/// once its first response is <see cref="Window"/> old, so memory stays bounded however long the
/// run; a response for a settled part comes too late to count and is counted as such.
/// Thread-safe: every viewer records here.
/// </summary>
internal sealed class PartClock
{
    private static readonly long Window = Stopwatch.Frequency * 5;
    private static readonly long SweepEvery = Stopwatch.Frequency / 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Track, long Msn, int Part), Slot> _open = [];
    private readonly Dictionary<int, (long Msn, int Part)> _settled = [];
    private readonly Stack<Slot> _pool = new();
    private readonly List<(int Track, long Msn, int Part)> _expired = [];
    private readonly LatencyHistogram _lastPerPart = new();
    private readonly LatencyHistogram[] _lag = [new(), new(), new()];
    private readonly LatencyHistogram[] _answer = [new(), new(), new()];
    private readonly long[] _held = new long[3];
    private readonly long[] _atOnce = new long[3];
    private long _late;
    private long _lastSweep;

    /// <summary>
    /// A number for a track of a stream, named by the path of its init segment (without the query):
    /// an LL-HLS part and an LL-DASH chunk of the same media have the same init, segment number and index.
    /// </summary>
    public int Track(string initPath)
    {
        lock (_lock)
        {
            if (!_tracks.TryGetValue(initPath, out var id))
            {
                id = _tracks.Count;
                _tracks.Add(initPath, id);
            }
            return id;
        }
    }

    /// <summary>
    /// A response for part <paramref name="part"/> of segment <paramref name="msn"/> of
    /// <paramref name="track"/>: when its request went out, and when it was in.
    /// <paramref name="couldWait"/> false: the part existed when it was asked for.
    /// </summary>
    public void Record(int track, long msn, int part, HeldKind kind, long sentAt, long arrivedAt, bool couldWait = true)
    {
        lock (_lock)
        {
            if (_settled.TryGetValue(track, out var settled) && (msn, part).CompareTo(settled) <= 0)
            {
                _late++;
                return;
            }
            var key = (track, msn, part);
            if (!_open.TryGetValue(key, out var slot))
            {
                slot = _pool.TryPop(out var pooled) ? pooled : new Slot();
                slot.Begin(arrivedAt);
                _open.Add(key, slot);
            }
            slot.Add(couldWait ? sentAt : long.MaxValue, arrivedAt, kind);
            if (arrivedAt - _lastSweep > SweepEvery)
            {
                _lastSweep = arrivedAt;
                Settle(arrivedAt - Window);
            }
        }
    }

    /// <summary>Settles every part still open: call once the viewers have stopped.</summary>
    public PartClockFigures Finish()
    {
        lock (_lock)
        {
            Settle(long.MaxValue);
            return new PartClockFigures(
                _lastPerPart.ToPercentiles(),
                [.. _lag.Select(h => h.ToPercentiles())],
                [.. _answer.Select(h => h.ToPercentiles())],
                [.. _held],
                [.. _atOnce],
                _late);
        }
    }

    // Parts complete in order, so settling them by the age of their first response settles them in order too.
    private void Settle(long before)
    {
        _expired.Clear();
        foreach (var (key, slot) in _open)
        {
            if (slot.FirstRecorded < before)
            {
                _expired.Add(key);
            }
        }
        _expired.Sort();
        foreach (var key in _expired)
        {
            _open.Remove(key, out var slot);
            Settle(slot!);
            _pool.Push(slot!);
            if (!_settled.TryGetValue(key.Track, out var settled) || (key.Msn, key.Part).CompareTo(settled) > 0)
            {
                _settled[key.Track] = (key.Msn, key.Part);
            }
        }
    }

    private void Settle(Slot slot)
    {
        var first = slot.EarliestArrival;
        long last = -1;
        for (var i = 0; i < slot.Count; i++)
        {
            var (sent, arrived, kind) = slot[i];
            if (sent >= first)
            {
                _atOnce[(int)kind]++;
                continue;
            }
            _held[(int)kind]++;
            _lag[(int)kind].Add(Ms(arrived - first));
            _answer[(int)kind].Add(Ms(arrived - sent));
            last = Math.Max(last, arrived);
        }
        if (last >= 0)
        {
            _lastPerPart.Add(Ms(last - first));
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The responses of one part; its arrays are kept when it goes back to the pool.</summary>
    private sealed class Slot
    {
        private long[] _sent = new long[64];
        private long[] _arrived = new long[64];
        private HeldKind[] _kinds = new HeldKind[64];

        public int Count { get; private set; }

        public long FirstRecorded { get; private set; }

        public long EarliestArrival { get; private set; }

        public (long Sent, long Arrived, HeldKind Kind) this[int index] => (_sent[index], _arrived[index], _kinds[index]);

        public void Begin(long now)
        {
            Count = 0;
            FirstRecorded = now;
            EarliestArrival = long.MaxValue;
        }

        public void Add(long sent, long arrived, HeldKind kind)
        {
            if (Count == _sent.Length)
            {
                Array.Resize(ref _sent, Count * 2);
                Array.Resize(ref _arrived, Count * 2);
                Array.Resize(ref _kinds, Count * 2);
            }
            _sent[Count] = sent;
            _arrived[Count] = arrived;
            _kinds[Count] = kind;
            Count++;
            EarliestArrival = Math.Min(EarliestArrival, arrived);
        }
    }
}

/// <summary>What <see cref="PartClock"/> measured, by <see cref="HeldKind"/> where it is per kind.</summary>
internal sealed record PartClockFigures(
    Percentiles LastPerPart, Percentiles[] Lag, Percentiles[] Answer, long[] Held, long[] AtOnce, long Late)
{
    public long Parts => LastPerPart.Count;
}
