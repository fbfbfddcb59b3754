namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The server answered play or publish with an error status (an onStatus such as
/// NetStream.Play.StreamNotFound) rather than breaking the protocol.
/// </summary>
public sealed class RtmpStatusException : RtmpProtocolException
{
    public RtmpStatusException(string code, string? description)
        : base(string.IsNullOrEmpty(description) ? code : code + ": " + description)
    {
        Code = code;
        Description = description;
    }

    public string Code { get; }

    public string? Description { get; }
}
