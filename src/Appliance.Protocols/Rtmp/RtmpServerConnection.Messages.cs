namespace Appliance.Protocols.Rtmp;

// One message of the chunk stream: protocol control here, commands and media to the handler.
public sealed partial class RtmpServerConnection
{
    /// <summary>Returns a reason to end the connection, or null to go on.</summary>
    private string? HandleMessage(in RtmpMessage message)
    {
        switch (message.TypeId)
        {
            case RtmpMessageType.SetChunkSize:
                _chunks.ChunkSize = RtmpControl.ReadSetChunkSize(message.Payload.Span);
                return null;
            case RtmpMessageType.Abort:
                _chunks.Abort((int)RtmpControl.ReadUInt32(message.Payload.Span, "abort"));
                return null;
            case RtmpMessageType.Acknowledgement:
                return null;
            case RtmpMessageType.WindowAckSize:
                _peerWindowAck = RtmpControl.ReadUInt32(message.Payload.Span, "window acknowledgement size");
                return null;
            case RtmpMessageType.SetPeerBandwidth:
                return null;
            case RtmpMessageType.UserControl:
                HandleUserControl(message);
                return null;
            case RtmpMessageType.Audio:
            case RtmpMessageType.Video:
            case RtmpMessageType.DataAmf0:
            case RtmpMessageType.DataAmf3:
            case RtmpMessageType.Aggregate:
                _handler.OnMedia(message);
                return null;
            case RtmpMessageType.CommandAmf0:
                return HandleCommand(message.Payload.Span);
            case RtmpMessageType.CommandAmf3:
                // An AMF3 command message is a format byte followed by AMF0 values.
                return message.Payload.Length == 0 ? null : HandleCommand(message.Payload.Span[1..]);
            case RtmpMessageType.SharedObjectAmf0:
            case RtmpMessageType.SharedObjectAmf3:
                _handler.OnIgnored("shared object message");
                return null;
            default:
                throw new RtmpProtocolException($"unknown message type {message.TypeId}");
        }
    }

    private void HandleUserControl(in RtmpMessage message)
    {
        var eventType = RtmpControl.ReadUserControl(message.Payload.Span, out var value);
        if (eventType == UserControlEvent.PingRequest)
        {
            var pong = Core.Buffers.SharedBuffer.Rent(RtmpControl.MaxControlLength);
            SendControl(pong, RtmpControl.WritePingResponse(pong.FullSpan, value));
        }
    }
}
