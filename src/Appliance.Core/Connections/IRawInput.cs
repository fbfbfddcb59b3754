namespace Appliance.Core.Connections;

/// <summary>
/// A connection's input read straight from its transport, without a pipe: nothing (no buffer, no
/// stream, no pending read of its own) is held while it waits. For a connection that now receives
/// only a few small messages now and then, such as an RTMP player once it plays, which keeps its
/// connection open for hours and sends an acknowledgement every few megabytes.
/// </summary>
public interface IRawInput
{
    /// <summary>
    /// Completes when the peer has sent something or closed, or now and then for no reason:
    /// check <see cref="HasInput"/> before <see cref="Receive"/>. Fails as a read does when the
    /// connection breaks or is aborted.
    /// </summary>
    ValueTask<int> WaitAsync();

    /// <summary>Whether <see cref="Receive"/> would return at once: data, the end, or an error is there.</summary>
    bool HasInput { get; }

    /// <summary>Copies what has arrived into <paramref name="into"/>; 0 once the peer has closed. Throws when the connection failed.</summary>
    int Receive(Span<byte> into);
}
