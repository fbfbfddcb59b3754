using System.Diagnostics;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>One direction of an <see cref="ImpairmentRelay"/>: its current impairment (swappable while connections run), its shared bucket and its byte counts.</summary>
internal sealed class ImpairmentDirection
{
    private readonly Lock _gate = new();
    private (Impairment Impairment, double SetAtSeconds) _current = (Impairment.None, 0);
    private long _received;
    private long _sent;

    public ImpairmentDirection()
    {
        Set(Impairment.None);
    }

    /// <summary>The impairment and when it was set (monotonic seconds), read together; stalls count from then.</summary>
    public (Impairment Impairment, double SetAtSeconds) Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public TokenBucket SharedBucket { get; } = new();

    public long Received => Interlocked.Read(ref _received);

    public long Sent => Interlocked.Read(ref _sent);

    public void Set(Impairment impairment)
    {
        lock (_gate)
        {
            _current = (impairment, Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
        }
    }

    public void AddReceived(int bytes) => Interlocked.Add(ref _received, bytes);

    public void AddSent(int bytes) => Interlocked.Add(ref _sent, bytes);
}
