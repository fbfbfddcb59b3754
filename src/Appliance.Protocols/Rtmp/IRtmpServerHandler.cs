namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The application behind an <see cref="RtmpServerConnection"/>: the protocol parses and answers
/// what needs no decision (handshake, control messages, createStream) and raises the rest here.
/// Callbacks run on the connection's read loop, one at a time, in the order the peer sent them.
/// A callback ends the connection by throwing <see cref="RtmpProtocolException"/> (the peer broke
/// the protocol) or by returning a reason from a decision (connect, publish, play).
/// </summary>
public interface IRtmpServerHandler
{
    /// <summary>Bytes arrived (handshake or chunks): the application's counters and idle deadline.</summary>
    void OnBytesReceived(long count);

    /// <summary>The handshake is over; chunked messages follow.</summary>
    void OnHandshakeCompleted();

    /// <summary>
    /// The peer asked to connect to an app. The application answers with
    /// <see cref="RtmpServerConnection.SendConnectResult"/> or <see cref="RtmpServerConnection.SendConnectRejected"/>.
    /// The verdict is null to go on, or the reason to end the connection; one not complete yet holds
    /// back the messages after the command until it is (so are publish and play).
    /// </summary>
    ValueTask<string?> OnConnectAsync(RtmpConnectRequest request);

    /// <summary>publish on the connected app; answered with onStatus (<see cref="RtmpServerConnection.SendStatus"/>).</summary>
    ValueTask<string?> OnPublishAsync(RtmpPublishRequest request);

    /// <summary>play on the connected app; as <see cref="OnPublishAsync"/>.</summary>
    ValueTask<string?> OnPlayAsync(RtmpPlayRequest request);

    /// <summary>pause (true) or resume (false) what the connection plays; <paramref name="milliseconds"/> is the stream time.</summary>
    void OnPause(bool paused, double milliseconds);

    /// <summary>FCUnpublish: the publisher says it is done with <paramref name="streamName"/> (its _result is sent already).</summary>
    void OnFCUnpublish(string? streamName);

    /// <summary>deleteStream or closeStream (<paramref name="command"/>): whatever the stream published or played ends.</summary>
    void OnDeleteStream(string command);

    /// <summary>
    /// An audio, video, data or aggregate message. Its payload is released when this returns: take a
    /// reference (<c>AddRef</c>) to keep it.
    /// </summary>
    void OnMedia(in RtmpMessage message);

    /// <summary>Something understood and ignored (a shared object message, an unsupported or unknown command), worth a debug line.</summary>
    void OnIgnored(string what);
}
