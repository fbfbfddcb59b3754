namespace Appliance.Transport.Srt;

/// <summary>An SRT call failed: libsrt's own error text, and for a refused connection its reject reason.</summary>
public sealed class SrtException(string message, int rejectReason = 0) : IOException(message)
{
    /// <summary>The listener's SRT reject reason when a connection was refused (1000 + HTTP status for access control), else 0.</summary>
    public int RejectReason { get; } = rejectReason;
}
