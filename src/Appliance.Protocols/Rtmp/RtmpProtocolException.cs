namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The peer broke the protocol (malformed chunk stream, command or handshake). The session that
/// sees it closes that one connection and logs <see cref="Exception.Message"/> as the reason.
/// </summary>
public class RtmpProtocolException : Exception
{
    public RtmpProtocolException(string message)
        : base(message)
    {
    }

    public RtmpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
