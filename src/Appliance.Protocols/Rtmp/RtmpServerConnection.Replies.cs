using System.Buffers;
using Appliance.Codecs.Amf0;
using Appliance.Core.Buffers;

namespace Appliance.Protocols.Rtmp;

// What the application answers with, as ready-to-send chunk bytes in the server's chunk size.
public sealed partial class RtmpServerConnection
{
    private const int StatusChunkStream = 5;

    /// <summary>Accepts a connect: window, peer bandwidth, the server's chunk size, then _result with NetConnection.Connect.Success.</summary>
    public void SendConnectResult(in RtmpConnectRequest request)
    {
        var window = SharedBuffer.Rent(RtmpControl.MaxControlLength);
        SendControl(window, RtmpControl.WriteWindowAckSize(window.FullSpan, _options.WindowAckSize));
        var bandwidth = SharedBuffer.Rent(RtmpControl.MaxControlLength);
        SendControl(bandwidth, RtmpControl.WriteSetPeerBandwidth(bandwidth.FullSpan, _options.WindowAckSize, RtmpControl.LimitDynamic));
        var chunkSize = SharedBuffer.Rent(RtmpControl.MaxControlLength);
        SendControl(chunkSize, RtmpControl.WriteSetChunkSize(chunkSize.FullSpan, _options.ChunkSize));
        SendCommand(0, "_result", request.TransactionId,
            Amf0Value.Object(Amf0Value.Prop("fmsVer", "FMS/3,5,3,888"), Amf0Value.Prop("capabilities", 127), Amf0Value.Prop("mode", 1)),
            Amf0Value.Object(Amf0Value.Prop("level", "status"), Amf0Value.Prop("code", "NetConnection.Connect.Success"),
                Amf0Value.Prop("description", "Connection succeeded."), Amf0Value.Prop("objectEncoding", request.ObjectEncoding)));
    }

    /// <summary>Refuses a connect: _error with NetConnection.Connect.Rejected.</summary>
    public void SendConnectRejected(in RtmpConnectRequest request) =>
        SendCommand(0, "_error", request.TransactionId, Amf0Value.Null,
            Amf0Value.Object(Amf0Value.Prop("level", "error"), Amf0Value.Prop("code", "NetConnection.Connect.Rejected"),
                Amf0Value.Prop("description", "Connection rejected.")));

    /// <summary>onStatus on the connection's stream, e.g. ("status", "NetStream.Play.Start", "Started playing cam.").</summary>
    public void SendStatus(string level, string code, string description) =>
        SendCommand(_options.StreamId, "onStatus", 0, Amf0Value.Null,
            Amf0Value.Object(Amf0Value.Prop("level", level), Amf0Value.Prop("code", code), Amf0Value.Prop("description", description)));

    /// <summary>onStatus on the connection's stream with one more numeric property in its info object (players ignore what they do not know).</summary>
    public void SendStatus(string level, string code, string description, string property, double value) =>
        SendCommand(_options.StreamId, "onStatus", 0, Amf0Value.Null,
            Amf0Value.Object(Amf0Value.Prop("level", level), Amf0Value.Prop("code", code), Amf0Value.Prop("description", description), Amf0Value.Prop(property, value)));

    /// <summary>User Control Stream Begin for the connection's stream.</summary>
    public void SendStreamBegin() => SendUserControl(UserControlEvent.StreamBegin);

    /// <summary>User Control Stream EOF for the connection's stream: the played stream has ended.</summary>
    public void SendStreamEof() => SendUserControl(UserControlEvent.StreamEof);

    /// <summary>|RtmpSampleAccess (audio and video may be sampled), which Flash-era players expect before media.</summary>
    public void SendSampleAccess()
    {
        var payload = new ArrayBufferWriter<byte>(64);
        Amf0Writer.WriteString(payload, "|RtmpSampleAccess");
        Amf0Writer.WriteBoolean(payload, true);
        Amf0Writer.WriteBoolean(payload, true);
        SendMessage(StatusChunkStream, RtmpMessageType.DataAmf0, _options.StreamId, payload.WrittenSpan);
    }

    private void SendUserControl(ushort eventType)
    {
        var buffer = SharedBuffer.Rent(RtmpControl.MaxControlLength);
        SendControl(buffer, RtmpControl.WriteUserControl(buffer.FullSpan, eventType, _options.StreamId));
    }

    private void SendControl(SharedBuffer buffer, int length)
    {
        buffer.Length = length;
        _output.Send(buffer);
    }

    private void SendCommand(uint streamId, string name, double transactionId, Amf0Value commandObject, params ReadOnlySpan<Amf0Value> args)
    {
        var payload = new ArrayBufferWriter<byte>(128);
        RtmpCommand.Encode(payload, name, transactionId, commandObject, args);
        SendMessage(streamId == 0 ? RtmpCommand.ChunkStreamId : StatusChunkStream, RtmpMessageType.CommandAmf0, streamId, payload.WrittenSpan);
    }

    private void SendMessage(int chunkStream, byte type, uint streamId, ReadOnlySpan<byte> payload)
    {
        var buffer = SharedBuffer.Rent(RtmpChunkWriter.MaxLength(payload.Length, _options.ChunkSize, chunkStream));
        buffer.Length = RtmpChunkWriter.Write(buffer.FullSpan, chunkStream, 0, type, streamId, payload, _options.ChunkSize);
        _output.Send(buffer);
    }
}
