using Appliance.Codecs.Amf0;
using Appliance.Core.Buffers;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Rtmp;

/// <summary>Builds the server's command replies and status events as ready-to-send chunk bytes.</summary>
internal static class RtmpReplies
{
    private const int CommandChunkStream = 3;
    private const int StatusChunkStream = 5;

    public static SharedBuffer Command(int chunkSize, uint streamId, string name, double transactionId, Amf0Value? commandObject, params Amf0Value[] args)
    {
        var payload = RtmpCommand.Encode(name, transactionId, commandObject, args);
        var chunkStream = streamId == 0 ? CommandChunkStream : StatusChunkStream;
        return Message(chunkSize, chunkStream, RtmpMessageType.CommandAmf0, streamId, payload);
    }

    public static SharedBuffer Message(int chunkSize, int chunkStream, byte type, uint streamId, ReadOnlySpan<byte> payload)
    {
        var buffer = SharedBuffer.Rent(RtmpChunkWriter.MaxLength(payload.Length, chunkSize, chunkStream));
        buffer.Length = RtmpChunkWriter.Write(buffer.FullSpan, chunkStream, 0, type, streamId, payload, chunkSize);
        return buffer;
    }

    public static SharedBuffer Status(int chunkSize, uint streamId, string level, string code, string description, params KeyValuePair<string, Amf0Value>[] extra)
    {
        var properties = new List<KeyValuePair<string, Amf0Value>>
        {
            new("level", Amf0Value.FromString(level)),
            new("code", Amf0Value.FromString(code)),
            new("description", Amf0Value.FromString(description)),
        };
        properties.AddRange(extra);
        return Command(chunkSize, streamId, "onStatus", 0, Amf0Value.Null, Amf0Value.Object([.. properties]));
    }

    public static SharedBuffer ControlMessage(Func<Span<byte>, int> write)
    {
        var buffer = SharedBuffer.Rent(RtmpControl.MaxControlLength);
        buffer.Length = write(buffer.FullSpan);
        return buffer;
    }

    public static KeyValuePair<string, Amf0Value> Prop(string name, string value) => new(name, Amf0Value.FromString(value));

    public static KeyValuePair<string, Amf0Value> Prop(string name, double value) => new(name, Amf0Value.FromNumber(value));
}
