using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// A decoded AMF0 command: its name, transaction id, command object (null when the peer sent AMF0
/// null or nothing) and the arguments after it.
/// </summary>
public sealed record RtmpCommandMessage(
    string Name, double TransactionId, Amf0Value? CommandObject, IReadOnlyList<Amf0Value> Arguments)
{
    /// <summary>The first argument, or null; commands such as play and publish put the stream name there.</summary>
    public Amf0Value? FirstArgument => Arguments.Count > 0 ? Arguments[0] : null;
}
