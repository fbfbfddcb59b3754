using System.Buffers;
using Appliance.Codecs.Amf0;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Seeds;
using Appliance.Protocols.Rtmp;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// The AMF0 decoder: <see cref="Amf0Reader.ReadAll"/>, value by value with <see cref="Amf0Reader.ReadValue"/>
/// (the offset must only move forward, and only on success), and <see cref="RtmpCommand.Decode"/>.
/// What decodes must survive a round trip through <see cref="Amf0Writer"/> unchanged, and
/// <see cref="Amf0Cursor"/> must skip exactly the values the reader reads.
/// Refusal: <see cref="Amf0FormatException"/> (and <see cref="RtmpProtocolException"/> from Decode).
/// </summary>
public sealed class Amf0Target : FuzzTarget
{
    public override string Name => "amf0";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Media.Amf0("connect", 1, Rtmp.ConnectObject);
        yield return Media.Amf0("publish", 5, null, "cam1?key=secret", "live");
        yield return Media.Amf0("play", 4, null, "cam1", -2000.0, -1.0, true);
        yield return Media.Amf0("@setDataFrame", "onMetaData", Media.MetaData);
        yield return Media.Amf0("onStatus", 0, null, Amf0Value.Object(
            Amf0Value.Prop("level", "status"), Amf0Value.Prop("code", "NetStream.Publish.Start"), Amf0Value.Prop("description", "ok")));
        yield return Media.Amf0(Amf0Value.StrictArray(Amf0Value.FromNumber(1), Amf0Value.FromString("two"), Amf0Value.Null, Amf0Value.Undefined,
            Amf0Value.Date(1700000000000, -60), Amf0Value.Object(Amf0Value.Prop("nested", Amf0Value.EcmaArray(Amf0Value.Prop("x", true))))));
        // A long string (0x0C, 32-bit length); writers use it only past 65535 bytes, readers must take it at any length.
        yield return Media.Concat([0x0C, 0x00, 0x00, 0x00, 0x05], "hello"u8.ToArray(), Media.Amf0(new string('x', 60000)));
        // A typed object (0x10, class name, properties) and an ECMA array that ends at its count without 00 00 09.
        yield return Media.Concat([0x10, 0x00, 0x03], "Foo"u8.ToArray(), [0x00, 0x01, (byte)'a'], Media.Amf0(2.5), [0x00, 0x00, 0x09]);
        yield return Media.Concat([0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, (byte)'k'], Media.Amf0("v"));
        // Nested to the depth limit.
        var deep = new List<byte>();
        for (var i = 0; i < Amf0Reader.MaxDepth; i++)
        {
            deep.AddRange([0x03, 0x00, 0x01, (byte)'a']);
        }
        deep.Add(0x05);
        for (var i = 0; i < Amf0Reader.MaxDepth; i++)
        {
            deep.AddRange([0x00, 0x00, 0x09]);
        }
        yield return [.. deep];
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x00], [0x01], [0x02], [0x03], [0x05], [0x06], [0x08], [0x09], [0x0A], [0x0B], [0x0C], [0x10], [0x11],
        [0x00, 0x00, 0x09], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xF8, 0, 0, 0, 0, 0, 0], [0xED, 0xA0, 0x80], [0xC0, 0x80],
        "onMetaData"u8.ToArray(), "connect"u8.ToArray(),
    ];

    public override bool IsExpected(Exception exception) => exception is Amf0FormatException or RtmpProtocolException;

    public override void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            var command = RtmpCommand.Decode(input);
            Feedback.NoteSize("command arguments", command.Arguments.Count);
        }
        catch (RtmpProtocolException e)
        {
            Feedback.NoteRejection(e);
        }

        // Value by value, as the data-message path reads @setDataFrame and then the rest.
        var offset = 0;
        var count = 0;
        try
        {
            while (offset < input.Length)
            {
                var before = offset;
                // The cursor that reads commands in place must skip exactly what the reader reads, and refuse what it refuses.
                var skipEnd = SkipEnd(input, before);
                Amf0Value value;
                try
                {
                    value = Amf0Reader.ReadValue(input, ref offset);
                }
                catch (Amf0FormatException)
                {
                    FuzzInvariantException.Check(skipEnd < 0, $"cursor: skipped to {skipEnd} a value the reader refuses");
                    throw;
                }
                FuzzInvariantException.Check(skipEnd == offset, $"cursor: skipped from {before} to {skipEnd}, the reader read to {offset}");
                FuzzInvariantException.Check(offset > before && offset <= input.Length, $"offset: ReadValue moved it from {before} to {offset}");
                Note(value, 0);
                count++;
            }
        }
        catch (Amf0FormatException)
        {
            // The offset must be left where the failed value began.
            FuzzInvariantException.Check(offset <= input.Length, "offset past the input after a failed read");
        }

        var values = Amf0Reader.ReadAll(input);
        FuzzInvariantException.Check(values.Count == count, $"value count: ReadAll read {values.Count}, ReadValue {count}");
        if (values.Any(HasOverlongKey))
        {
            // Invalid UTF-8 in a key reads as U+FFFD (3 bytes each), so a 21846-byte key can come back over
            // the 65535 bytes a key may have; the writer refuses that by contract, and the server never
            // writes back a peer's keys.
            return;
        }
        var writer = new ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Amf0Writer.Write(writer, value);
        }
        var again = Amf0Reader.ReadAll(writer.WrittenSpan);
        FuzzInvariantException.Check(again.Count == values.Count, $"round trip: {values.Count} values became {again.Count}");
        for (var i = 0; i < values.Count; i++)
        {
            if (Difference(values[i], again[i]) is { } difference)
            {
                throw new FuzzInvariantException($"round trip: value {i} changed: {difference}");
            }
        }
    }

    /// <summary>Where <see cref="Amf0Cursor.SkipValue"/> ends from <paramref name="offset"/>, or -1 when it refuses the value.</summary>
    private static int SkipEnd(ReadOnlySpan<byte> input, int offset)
    {
        try
        {
            var cursor = new Amf0Cursor(input, offset);
            cursor.SkipValue();
            return cursor.Offset;
        }
        catch (Amf0FormatException)
        {
            return -1;
        }
    }

    private static bool HasOverlongKey(Amf0Value value) =>
        value.Properties.Any(p => System.Text.Encoding.UTF8.GetByteCount(p.Key) > ushort.MaxValue || HasOverlongKey(p.Value))
        || value.Items.Any(HasOverlongKey);

    private static void Note(Amf0Value value, int depth)
    {
        if (!Feedback.Listening)
        {
            return;
        }
        Feedback.Note("kind", ((long)value.Kind << 8) | (long)Math.Min(depth, 40));
        foreach (var property in value.Properties)
        {
            Note(property.Value, depth + 1);
        }
        foreach (var item in value.Items)
        {
            Note(item, depth + 1);
        }
    }

    private static string? Difference(Amf0Value a, Amf0Value b)
    {
        if (a.Kind != b.Kind)
        {
            return $"{a.Kind} became {b.Kind}";
        }
        switch (a.Kind)
        {
            case Amf0Kind.Number:
            case Amf0Kind.Date:
                if (BitConverter.DoubleToInt64Bits(a.Number) != BitConverter.DoubleToInt64Bits(b.Number) && !(double.IsNaN(a.Number) && double.IsNaN(b.Number)))
                {
                    return $"number {a.Number:R} became {b.Number:R}";
                }
                return a.TimeZone != b.TimeZone ? $"time zone {a.TimeZone} became {b.TimeZone}" : null;
            case Amf0Kind.Boolean:
                return a.Boolean != b.Boolean ? "boolean flipped" : null;
            case Amf0Kind.String:
                return a.String != b.String ? $"string of {a.String?.Length} chars became {b.String?.Length} chars" : null;
        }
        if (a.Properties.Count != b.Properties.Count)
        {
            return $"{a.Properties.Count} properties became {b.Properties.Count}";
        }
        for (var i = 0; i < a.Properties.Count; i++)
        {
            if (a.Properties[i].Key != b.Properties[i].Key)
            {
                return $"key '{a.Properties[i].Key}' became '{b.Properties[i].Key}'";
            }
            if (Difference(a.Properties[i].Value, b.Properties[i].Value) is { } inner)
            {
                return $"{a.Properties[i].Key}: {inner}";
            }
        }
        if (a.Items.Count != b.Items.Count)
        {
            return $"{a.Items.Count} items became {b.Items.Count}";
        }
        for (var i = 0; i < a.Items.Count; i++)
        {
            if (Difference(a.Items[i], b.Items[i]) is { } inner)
            {
                return $"[{i}]: {inner}";
            }
        }
        return null;
    }
}
