using Appliance.Core.Time;

namespace Appliance.Relay.Routing;

/// <summary>
/// What this node has measured of one upstream candidate, from probes and from the pulls it feeds,
/// folded into one comparable <see cref="Cost"/> in milliseconds (lower is better):
/// <code>
/// cost = latency
///      + StallPenaltyMs (250) × stalls in the last StallWindowMs (60 s)
///      + FailurePenaltyMs (500) × consecutive failures
///      + [carry &lt; MinCarryRatio (0.9)] × ThroughputPenaltyMs (1000) × (2 − carry)
///      + LinkLossPenaltyMs (20) × SRT link loss in percent
///      + [down] × DownPenaltyMs (100 000)
/// </code>
/// where <c>latency</c> is the larger of the peak-EWMA RTT and connect time (whichever is known;
/// <c>UnknownLatencyMs</c> (200) if neither, so a new candidate gets tried but does not displace a
/// known-good one), and <c>carry</c> is the EWMA of pull throughput over the stream's own rate,
/// capped at 1 and ignored once older than ThroughputWindowMs: a path that cannot carry the
/// stream costs 1–2 s however short its RTT. An SRT pull adds libsrt's own figures each second:
/// its RTT goes into the RTT estimate, and the share of packets lost on the way (EWMA, ignored once
/// older than ThroughputWindowMs) costs 20 ms per percent: SRT repairs loss within its latency,
/// but a lossier path is nearer to the loss it cannot repair. The retransmitted share is shown.
/// <para>
/// After FailuresBeforeDown (3) consecutive failures the candidate is down for RetryMs (10 s),
/// doubling with each further failure up to MaxRetryMs (60 s); once that passes it is "half-open":
/// eligible for a probe or a pull again, and one more failure takes it down again for longer,
/// while a success resets the count. Thread-safe (one lock around all of it, so a ranking pays one
/// acquisition per candidate); the recording methods read the clock given at construction, the
/// queries take <c>now</c> so one ranking sees one instant. RTT and connect time are
/// peak <see cref="EwmaState"/> estimates, throughput and carry plain ones.
/// </para>
/// </summary>
public sealed class CandidateHealth
{
    // Enough for every stall that can still count at any sensible penalty: past a few, the candidate is hopeless anyway.
    private const int StallSlots = 32;

    private readonly HealthOptions _options;
    private readonly Func<long> _clock;
    private readonly Lock _gate = new();
    private readonly long[] _stalls = new long[StallSlots];
    private EwmaState _rtt;
    private EwmaState _connect;
    private EwmaState _throughput;
    private EwmaState _carry;
    private EwmaState _linkLoss;
    private EwmaState _linkRetransmits;
    private int _stallCount;
    private int _stallNext;
    private int _failures;
    private long _downUntilMs;
    private string? _lastError;

    /// <param name="clock">Monotonic milliseconds; <see cref="MonotonicClock.NowMs"/> when null.</param>
    public CandidateHealth(HealthOptions? options = null, Func<long>? clock = null)
    {
        _options = options ?? HealthOptions.Default;
        _clock = clock ?? (static () => MonotonicClock.NowMs);
    }

    public HealthOptions Options => _options;

    public int ConsecutiveFailures
    {
        get
        {
            lock (_gate)
            {
                return _failures;
            }
        }
    }

    /// <summary>Time to establish a TCP connection, in ms (peak EWMA).</summary>
    public void RecordConnect(double ms)
    {
        long now = _clock();
        lock (_gate)
        {
            _connect.Record(ms, now, _options.LatencyDecayMs, peak: true);
        }
    }

    /// <summary>A request/answer round trip (a health probe's status line), in ms (peak EWMA).</summary>
    public void RecordRtt(double ms)
    {
        long now = _clock();
        lock (_gate)
        {
            _rtt.Record(ms, now, _options.LatencyDecayMs, peak: true);
        }
    }

    /// <summary>
    /// Bytes per second a pull from this candidate received over a recent interval. With the
    /// stream's own rate (bytes per second of media, e.g. bytes over media time advanced) it also
    /// tells whether the path carries the stream.
    /// </summary>
    public void RecordThroughput(double bytesPerSecond, double? mediaBytesPerSecond = null)
    {
        long now = _clock();
        lock (_gate)
        {
            _throughput.Record(bytesPerSecond, now, _options.ThroughputDecayMs, peak: false);
            if (mediaBytesPerSecond is > 0 && bytesPerSecond >= 0)
            {
                // A catch-up burst above the stream's rate must not hide a deficit that follows.
                _carry.Record(Math.Min(1, bytesPerSecond / mediaBytesPerSecond.Value), now, _options.ThroughputDecayMs, peak: false);
            }
        }
    }

    /// <summary>An SRT pull's link over the last interval: libsrt's RTT, and the shares (0 to 1) of packets lost and retransmitted.</summary>
    public void RecordLink(double rttMs, double lossRatio, double retransmitRatio)
    {
        long now = _clock();
        lock (_gate)
        {
            if (rttMs > 0)
            {
                _rtt.Record(rttMs, now, _options.LatencyDecayMs, peak: true);
            }
            _linkLoss.Record(Math.Clamp(lossRatio, 0, 1), now, _options.ThroughputDecayMs, peak: false);
            _linkRetransmits.Record(Math.Clamp(retransmitRatio, 0, 1), now, _options.ThroughputDecayMs, peak: false);
        }
    }

    /// <summary>A pull from this candidate stopped delivering for a while, or delivered late or with a gap, without failing.</summary>
    public void RecordStall()
    {
        long now = _clock();
        lock (_gate)
        {
            _stalls[_stallNext] = now;
            _stallNext = (_stallNext + 1) % StallSlots;
            _stallCount = Math.Min(_stallCount + 1, StallSlots);
        }
    }

    public void RecordFailure(string reason)
    {
        long now = _clock();
        lock (_gate)
        {
            _lastError = reason;
            _failures++;
            int beyond = _failures - _options.FailuresBeforeDown;
            if (beyond >= 0)
            {
                long retry = _options.RetryMs << Math.Min(beyond, 30);
                _downUntilMs = now + Math.Min(retry, _options.MaxRetryMs);
            }
        }
    }

    /// <summary>A probe answered or a pull started: the failure count starts over and the candidate is up.</summary>
    public void RecordSuccess()
    {
        lock (_gate)
        {
            _failures = 0;
            _downUntilMs = 0;
        }
    }

    public bool IsDown(long now)
    {
        lock (_gate)
        {
            return IsDownLocked(now);
        }
    }

    /// <summary>One comparable figure in ms, lower is better; the formula is in the class summary.</summary>
    public double Cost(long now) => Cost(now, out _);

    /// <summary>The cost, and whether the candidate is down, read together.</summary>
    public double Cost(long now, out bool down)
    {
        lock (_gate)
        {
            down = IsDownLocked(now);
            return CostLocked(now, down);
        }
    }

    public CandidateHealthSnapshot Snapshot(long now)
    {
        lock (_gate)
        {
            bool down = IsDownLocked(now);
            bool throughputFresh = _throughput.HasValue && now - _throughput.LastMs <= _options.ThroughputWindowMs;
            return new CandidateHealthSnapshot(
                RttMs: _rtt.HasValue ? _rtt.Value : null,
                ConnectMs: _connect.HasValue ? _connect.Value : null,
                ThroughputBytesPerSecond: throughputFresh ? _throughput.Value : null,
                CarryRatio: CarryLocked(now),
                Stalls: StallsLocked(now),
                ConsecutiveFailures: _failures,
                LastError: _lastError,
                Down: down,
                RetryInMs: down ? _downUntilMs - now : 0,
                Cost: Math.Round(CostLocked(now, down), 1))
            {
                LinkLossRatio = Fresh(_linkLoss, now),
                LinkRetransmitRatio = Fresh(_linkRetransmits, now),
            };
        }
    }

    private double CostLocked(long now, bool down)
    {
        double latency = (_rtt.HasValue, _connect.HasValue) switch
        {
            (true, true) => Math.Max(_rtt.Value, _connect.Value),
            (true, false) => _rtt.Value,
            (false, true) => _connect.Value,
            _ => _options.UnknownLatencyMs,
        };
        double throughputPenalty = CarryLocked(now) is { } carry && carry < _options.MinCarryRatio
            ? _options.ThroughputPenaltyMs * (2 - carry)
            : 0;
        return latency
            + _options.StallPenaltyMs * StallsLocked(now)
            + _options.FailurePenaltyMs * _failures
            + throughputPenalty
            + _options.LinkLossPenaltyMs * 100 * (Fresh(_linkLoss, now) ?? 0)
            + (down ? _options.DownPenaltyMs : 0);
    }

    private double? Fresh(EwmaState state, long now) =>
        state.HasValue && now - state.LastMs <= _options.ThroughputWindowMs ? state.Value : null;

    /// <summary>Recent throughput over the stream's rate, or null when unknown or too old to count.</summary>
    private double? CarryLocked(long now) =>
        _carry.HasValue && now - _carry.LastMs <= _options.ThroughputWindowMs ? _carry.Value : null;

    private bool IsDownLocked(long now) => _failures >= _options.FailuresBeforeDown && now < _downUntilMs;

    private int StallsLocked(long now)
    {
        int count = 0;
        for (int i = 0; i < _stallCount; i++)
        {
            if (now - _stalls[i] < _options.StallWindowMs)
            {
                count++;
            }
        }
        return count;
    }
}
