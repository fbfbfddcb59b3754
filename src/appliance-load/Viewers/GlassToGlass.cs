using Appliance.Codecs.Avc;
using Appliance.Load.Report;

namespace Appliance.Load.Viewers;

/// <summary>
/// One viewer's glass-to-glass latency: for each video frame whose latency stamp (an SEI the
/// publisher put in, <see cref="SeiStamp"/>) reaches the viewer, the wall clock now minus the wall
/// clock at which the publisher sent the frame. Kept as a histogram (p50, p99, max), the mean of
/// the first 5 s and of the last 5 s of samples (the trend: a viewer drifting behind shows a
/// larger second), and two checks: stamps that did not increase, stamps from the future (a clock
/// problem). Written only by the viewer's task (an LL-HLS or DASH player: its video track's loop).
/// </summary>
internal sealed class GlassToGlass
{
    /// <summary>RTMP and FLV frames: the stamp is among the first NAL units of the frame, so only the head is searched.</summary>
    public const int FrameHeadBytes = 1024;

    private const long WindowMicros = 5_000_000;
    private const int Buckets = 5;
    private const long BucketMicros = WindowMicros / Buckets;

    private readonly LatencyHistogram _histogram = new();
    private readonly LatencyHistogram _steady = new();
    private readonly double[] _bucketSums = new double[Buckets];
    private readonly int[] _bucketCounts = new int[Buckets];
    private readonly long[] _bucketIndex = new long[Buckets];
    private SeiStampScanner _scanner;
    private long _firstAt = -1;
    private long _lastIndex = -1;
    private double _firstSum;
    private int _firstCount;

    public LatencyHistogram Histogram => _histogram;

    /// <summary>
    /// The samples that arrived 5 s or more after the viewer's first: the join burst (a cached GOP,
    /// whose frames arrive as late as they are old) is over, so this is the delay of live frames.
    /// </summary>
    public LatencyHistogram Steady => _steady;

    public long Samples => _histogram.Count;

    /// <summary>Stamps not later than the one before (each frame is sent later than the last).</summary>
    public long NotIncreasing { get; private set; }

    /// <summary>Stamps later than the viewer's clock when they arrived.</summary>
    public long FromTheFuture { get; private set; }

    public long FirstStamp { get; private set; }

    public long LastStamp { get; private set; }

    /// <summary>Mean latency of the samples in the first 5 s after the first one; NaN without samples.</summary>
    public double First5sMeanMs => _firstCount > 0 ? _firstSum / _firstCount : double.NaN;

    /// <summary>Mean latency of the samples in the last 5 s (of arrival) up to the last one; NaN without samples.</summary>
    public double Last5sMeanMs
    {
        get
        {
            double sum = 0;
            long count = 0;
            for (var i = 0; i < Buckets; i++)
            {
                if (_bucketCounts[i] > 0 && _bucketIndex[i] > _lastIndex - Buckets)
                {
                    sum += _bucketSums[i];
                    count += _bucketCounts[i];
                }
            }
            return count > 0 ? sum / count : double.NaN;
        }
    }

    /// <summary>A whole video frame (RTMP message, FLV tag): its stamp, if its head has one.</summary>
    public void OnFrame(ReadOnlySpan<byte> videoPayload)
    {
        if (SeiStamp.TryFind(videoPayload[..Math.Min(videoPayload.Length, FrameHeadBytes)], out var stamp))
        {
            Add(stamp, SeiStamp.UnixMicroseconds(DateTime.UtcNow));
        }
    }

    /// <summary>The next piece of a byte stream (TS payloads of the video PID, an mdat): every stamp completed in it.</summary>
    public void Scan(ReadOnlySpan<byte> data)
    {
        while (_scanner.TryNext(ref data, out var stamp))
        {
            Add(stamp, SeiStamp.UnixMicroseconds(DateTime.UtcNow));
        }
    }

    /// <summary>What follows is not the continuation of what came before (a new PES, a new body).</summary>
    public void ResetScan() => _scanner.Reset();

    internal void Add(long stamp, long now)
    {
        if (Samples > 0 && stamp <= LastStamp)
        {
            NotIncreasing++;
        }
        if (Samples == 0)
        {
            FirstStamp = stamp;
            _firstAt = now;
        }
        LastStamp = stamp;
        if (stamp > now)
        {
            FromTheFuture++;
        }
        var ms = Math.Max(0, now - stamp) / 1000.0;
        _histogram.Add(ms);
        var since = now - _firstAt;
        if (since < WindowMicros)
        {
            _firstSum += ms;
            _firstCount++;
        }
        else
        {
            _steady.Add(ms);
        }
        var index = Math.Max(0, since / BucketMicros);
        var slot = (int)(index % Buckets);
        if (_bucketIndex[slot] != index || _bucketCounts[slot] == 0)
        {
            _bucketIndex[slot] = index;
            _bucketSums[slot] = 0;
            _bucketCounts[slot] = 0;
        }
        _bucketSums[slot] += ms;
        _bucketCounts[slot]++;
        _lastIndex = Math.Max(_lastIndex, index);
    }
}
