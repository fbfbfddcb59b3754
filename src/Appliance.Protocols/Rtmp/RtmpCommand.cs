using System.Buffers;
using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

/// <summary>AMF0 command messages (type 20), conventionally sent on chunk stream 3.</summary>
public static class RtmpCommand
{
    public const int ChunkStreamId = 3;

    /// <summary>Encodes name, transaction id, command object (or null) and arguments; returns the payload.</summary>
    public static byte[] Encode(string name, double transactionId, Amf0Value? commandObject, params Amf0Value[] args)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        Encode(writer, name, transactionId, commandObject, args);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the payload to <paramref name="writer"/>.</summary>
    public static void Encode(IBufferWriter<byte> writer, string name, double transactionId, Amf0Value? commandObject,
        params ReadOnlySpan<Amf0Value> args)
    {
        ArgumentNullException.ThrowIfNull(name);
        Amf0Writer.WriteString(writer, name);
        Amf0Writer.WriteNumber(writer, transactionId);
        Amf0Writer.Write(writer, commandObject ?? Amf0Value.Null);
        foreach (var arg in args)
        {
            Amf0Writer.Write(writer, arg);
        }
    }

    /// <summary>
    /// Decodes a command payload. Throws <see cref="RtmpProtocolException"/> if the name (string) or
    /// transaction id (number) is missing or of the wrong kind, or if any value is malformed.
    /// </summary>
    public static RtmpCommandMessage Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var offset = 0;
            if (payload.IsEmpty)
            {
                RtmpThrowHelper.ThrowProtocol("Empty command message.");
            }
            var name = Amf0Reader.ReadValue(payload, ref offset);
            if (name.Kind != Amf0Kind.String)
            {
                RtmpThrowHelper.ThrowProtocol($"Command name is AMF0 {name.Kind}, not a string.");
            }
            if (offset >= payload.Length)
            {
                RtmpThrowHelper.ThrowProtocol($"Command '{name.String}' has no transaction id.");
            }
            var transaction = Amf0Reader.ReadValue(payload, ref offset);
            if (transaction.Kind != Amf0Kind.Number)
            {
                RtmpThrowHelper.ThrowProtocol($"Command '{name.String}' transaction id is AMF0 {transaction.Kind}.");
            }

            Amf0Value? commandObject = null;
            if (offset < payload.Length)
            {
                var value = Amf0Reader.ReadValue(payload, ref offset);
                commandObject = value.Kind is Amf0Kind.Null or Amf0Kind.Undefined ? null : value;
            }
            var args = offset < payload.Length ? Amf0Reader.ReadAll(payload[offset..]) : [];
            return new RtmpCommandMessage(name.String!, transaction.Number, commandObject, args);
        }
        catch (Amf0FormatException e)
        {
            throw new RtmpProtocolException("Malformed command message: " + e.Message, e);
        }
    }
}
