namespace Appliance.Protocols.Rtmp;

/// <summary>The handshake could not be answered (wrong version byte, e.g. encrypted RTMPE).</summary>
public sealed class RtmpHandshakeException : RtmpProtocolException
{
    public RtmpHandshakeException(string message)
        : base(message)
    {
    }
}
