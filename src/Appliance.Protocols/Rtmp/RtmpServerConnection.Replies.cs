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
        var payload = BeginCommand("_result", request.TransactionId);
        Amf0Writer.WriteObjectStart(payload);
        WriteProperty(payload, "fmsVer", "FMS/3,5,3,888");
        WriteProperty(payload, "capabilities", 127);
        WriteProperty(payload, "mode", 1);
        Amf0Writer.WriteObjectEnd(payload);
        WriteInfoStart(payload, "status", "NetConnection.Connect.Success", "Connection succeeded.");
        WriteProperty(payload, "objectEncoding", request.ObjectEncoding);
        Amf0Writer.WriteObjectEnd(payload);
        SendCommand(0, payload);
    }

    /// <summary>Refuses a connect: _error with NetConnection.Connect.Rejected.</summary>
    public void SendConnectRejected(in RtmpConnectRequest request)
    {
        var payload = BeginCommand("_error", request.TransactionId);
        Amf0Writer.WriteNull(payload);
        WriteInfoStart(payload, "error", "NetConnection.Connect.Rejected", "Connection rejected.");
        Amf0Writer.WriteObjectEnd(payload);
        SendCommand(0, payload);
    }

    /// <summary>onStatus on the connection's stream, e.g. ("status", "NetStream.Play.Start", "Started playing cam.").</summary>
    public void SendStatus(string level, string code, ReadOnlySpan<char> description)
    {
        var payload = BeginStatus(level, code, description);
        Amf0Writer.WriteObjectEnd(payload);
        SendCommand(_options.StreamId, payload);
    }

    /// <summary>onStatus on the connection's stream with one more numeric property in its info object (players ignore what they do not know).</summary>
    public void SendStatus(string level, string code, ReadOnlySpan<char> description, string property, double value)
    {
        var payload = BeginStatus(level, code, description);
        WriteProperty(payload, property, value);
        Amf0Writer.WriteObjectEnd(payload);
        SendCommand(_options.StreamId, payload);
    }

    /// <summary>User Control Stream Begin for the connection's stream.</summary>
    public void SendStreamBegin() => SendUserControl(UserControlEvent.StreamBegin);

    /// <summary>User Control Stream EOF for the connection's stream: the played stream has ended.</summary>
    public void SendStreamEof() => SendUserControl(UserControlEvent.StreamEof);

    /// <summary>|RtmpSampleAccess (audio and video may be sampled), which Flash-era players expect before media.</summary>
    public void SendSampleAccess()
    {
        var payload = RtmpReplyScratch.Take();
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

    /// <summary>_result of <paramref name="transactionId"/>: null, then a number (createStream's stream id, a stream length).</summary>
    private void SendResult(double transactionId, double value)
    {
        var payload = BeginCommand("_result", transactionId);
        Amf0Writer.WriteNull(payload);
        Amf0Writer.WriteNumber(payload, value);
        SendCommand(0, payload);
    }

    /// <summary>_result of <paramref name="transactionId"/>: null, then undefined (releaseStream, FCPublish).</summary>
    private void SendUndefinedResult(double transactionId)
    {
        var payload = BeginCommand("_result", transactionId);
        Amf0Writer.WriteNull(payload);
        Amf0Writer.Write(payload, Amf0Value.Undefined);
        SendCommand(0, payload);
    }

    // The AMF0 bytes of a command written field by field into the thread's scratch writer: the
    // same bytes as a tree of Amf0Values, without the tree.
    private static ArrayBufferWriter<byte> BeginCommand(string name, double transactionId)
    {
        var payload = RtmpReplyScratch.Take();
        Amf0Writer.WriteString(payload, name);
        Amf0Writer.WriteNumber(payload, transactionId);
        return payload;
    }

    /// <summary>onStatus, transaction 0, null, and an info object left open after level, code and description.</summary>
    private static ArrayBufferWriter<byte> BeginStatus(string level, string code, ReadOnlySpan<char> description)
    {
        var payload = BeginCommand("onStatus", 0);
        Amf0Writer.WriteNull(payload);
        WriteInfoStart(payload, level, code, description);
        return payload;
    }

    private static void WriteInfoStart(ArrayBufferWriter<byte> payload, string level, string code, ReadOnlySpan<char> description)
    {
        Amf0Writer.WriteObjectStart(payload);
        WriteProperty(payload, "level", level);
        WriteProperty(payload, "code", code);
        WriteProperty(payload, "description", description);
    }

    private static void WriteProperty(ArrayBufferWriter<byte> payload, string name, ReadOnlySpan<char> value)
    {
        Amf0Writer.WritePropertyName(payload, name);
        Amf0Writer.WriteString(payload, value);
    }

    private static void WriteProperty(ArrayBufferWriter<byte> payload, string name, double value)
    {
        Amf0Writer.WritePropertyName(payload, name);
        Amf0Writer.WriteNumber(payload, value);
    }

    /// <summary>Commands on stream 0 go on the command chunk stream, the others (status) on their own.</summary>
    private void SendCommand(uint streamId, ArrayBufferWriter<byte> payload) =>
        SendMessage(streamId == 0 ? RtmpCommand.ChunkStreamId : StatusChunkStream, RtmpMessageType.CommandAmf0, streamId, payload.WrittenSpan);

    private void SendMessage(int chunkStream, byte type, uint streamId, ReadOnlySpan<byte> payload)
    {
        var buffer = SharedBuffer.Rent(RtmpChunkWriter.MaxLength(payload.Length, _options.ChunkSize, chunkStream));
        buffer.Length = RtmpChunkWriter.Write(buffer.FullSpan, chunkStream, 0, type, streamId, payload, _options.ChunkSize);
        _output.Send(buffer);
    }
}
