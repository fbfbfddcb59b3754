using Appliance.Transport.Srt;

namespace Appliance.Relay.Pull;

/// <summary>An SRT link over one interval: libsrt's smoothed RTT, and the shares of packets lost and retransmitted (0 to 1).</summary>
public readonly record struct SrtLinkSample(double RttMs, double LossRatio, double RetransmitRatio);

/// <summary>
/// Turns libsrt's totals (since the connection opened) into per-interval shares: of the packets
/// that should have arrived, how many were lost on the way, and how many came as retransmissions.
/// </summary>
public struct SrtLinkSampler
{
    private long _received;
    private long _lost;
    private long _retransmitted;

    public bool TryTake(SrtStats stats, out SrtLinkSample sample)
    {
        var received = stats.PacketsReceived - _received;
        var lost = stats.PacketsReceivedLost - _lost;
        var retransmitted = stats.PacketsReceivedRetransmitted - _retransmitted;
        _received = stats.PacketsReceived;
        _lost = stats.PacketsReceivedLost;
        _retransmitted = stats.PacketsReceivedRetransmitted;
        if (received <= 0)
        {
            sample = default;
            return false;
        }
        var expected = received + Math.Max(0, lost);
        sample = new SrtLinkSample(stats.RttMs, Math.Max(0, lost) / (double)expected, Math.Clamp(retransmitted / (double)received, 0, 1));
        return true;
    }
}
