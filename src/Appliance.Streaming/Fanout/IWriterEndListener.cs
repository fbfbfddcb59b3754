namespace Appliance.Streaming.Fanout;

/// <summary>
/// Told when a <see cref="ConnectionWriter"/>'s send loop ends, from the loop itself: a session
/// that must act on the end (note the reason, abort the connection) does it here rather than in an
/// async method awaiting the loop, a frame every viewer would hold for its whole life.
/// </summary>
public interface IWriterEndListener
{
    /// <summary>The send loop stopped for <paramref name="reason"/>; it returns the same reason.</summary>
    void OnWriterEnded(string reason);
}
