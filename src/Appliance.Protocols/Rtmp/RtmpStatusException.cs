namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The server answered play or publish with an error status (an onStatus such as
/// NetStream.Play.StreamNotFound) rather than breaking the protocol. The message is the status
/// code, then ": " and the description when there is one.
/// </summary>
public sealed class RtmpStatusException(string code, string? description)
    : RtmpProtocolException(string.IsNullOrEmpty(description) ? code : code + ": " + description);
