using Appliance.Codecs.Amf0;
using Appliance.Codecs.Tests.Support;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Codecs.Tests.Amf0;

public class Amf0RoundTripTests
{
    public static TheoryData<string, Amf0Value> Values => new()
    {
        { "number", FromNumber(3.25) },
        { "negative zero", FromNumber(-0.0) },
        { "NaN", FromNumber(double.NaN) },
        { "infinity", FromNumber(double.NegativeInfinity) },
        { "true", FromBoolean(true) },
        { "false", FromBoolean(false) },
        { "string", FromString("live/stream?token=abc") },
        { "empty string", FromString(string.Empty) },
        { "unicode string", FromString("直播 🎥") },
        { "long string", FromString(new string('z', 70_000)) },
        { "null", Null },
        { "undefined", Undefined },
        { "date", Amf0Value.Date(1_700_000_000_123, 120) },
        { "empty object", Object() },
        { "empty ecma", EcmaArray() },
        { "empty strict", StrictArray() },
        {
            "nested",
            Object(
                Prop("app", "live"),
                Prop("tcUrl", "rtmp://example.com/live"),
                Prop("fpad", false),
                Prop("capabilities", 239.0),
                Prop("meta", EcmaArray(
                    Prop("width", 1920.0),
                    Prop("list", StrictArray(FromNumber(1), FromString("two"), Null, Object(Prop("deep", Undefined)))),
                    Prop("when", Amf0Value.Date(0)))),
                Prop("long", FromString(new string('y', 66_000))))
        },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void WriteThenReadGivesTheSameValueAndBytes(string name, Amf0Value value)
    {
        var bytes = Amf0Bytes.Of(value);
        var offset = 0;
        var read = Amf0Reader.ReadValue(bytes, ref offset);
        Assert.Equal(bytes.Length, offset);
        Amf0Bytes.AssertEqual(value, read);
        Assert.Equal(bytes, Amf0Bytes.Of(read));
        Assert.NotNull(name);
    }

    [Fact]
    public void ReadAllReadsASequenceOfValues()
    {
        var values = new[] { FromString("_result"), FromNumber(1), Null, Object(Prop("code", "NetConnection.Connect.Success")) };
        var read = Amf0Reader.ReadAll(Amf0Bytes.Of(values));
        Assert.Equal(values.Length, read.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Amf0Bytes.AssertEqual(values[i], read[i]);
        }
    }

    [Fact]
    public void ReadAllOfNothingIsEmpty() => Assert.Empty(Amf0Reader.ReadAll([]));

    [Fact]
    public void NestingOf32IsAccepted()
    {
        var bytes = NestedObjects(32);
        var offset = 0;
        var value = Amf0Reader.ReadValue(bytes, ref offset);
        var depth = 0;
        for (var v = value; v is not null; v = v["a"])
        {
            depth++;
        }
        Assert.Equal(32, depth);
    }

    [Fact]
    public void StrictArrayOf65535ItemsIsAccepted()
    {
        var bytes = StrictArrayOfNulls(65535);
        var offset = 0;
        Assert.Equal(65535, Amf0Reader.ReadValue(bytes, ref offset).Items.Count);
    }

    [Fact]
    public void ReadAllOf65536ValuesIsAccepted() =>
        Assert.Equal(65536, Amf0Reader.ReadAll(Enumerable.Repeat((byte)0x05, 65536).ToArray()).Count);

    internal static byte[] NestedObjects(int depth)
    {
        // 03 0001 61 repeated, a null at the bottom, then 0000 09 per level.
        var bytes = new List<byte>();
        for (var i = 0; i < depth - 1; i++)
        {
            bytes.AddRange([0x03, 0x00, 0x01, 0x61]);
        }
        bytes.AddRange([0x03, 0x00, 0x00, 0x09]);
        for (var i = 0; i < depth - 1; i++)
        {
            bytes.AddRange([0x00, 0x00, 0x09]);
        }
        return bytes.ToArray();
    }

    internal static byte[] StrictArrayOfNulls(int count)
    {
        var bytes = new byte[5 + count];
        bytes[0] = 0x0A;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), count);
        bytes.AsSpan(5).Fill(0x05);
        return bytes;
    }
}
