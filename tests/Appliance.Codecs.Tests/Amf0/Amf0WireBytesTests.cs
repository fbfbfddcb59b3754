using Appliance.Codecs.Amf0;
using Appliance.Codecs.Tests.Support;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Codecs.Tests.Amf0;

/// <summary>Exact encodings, written out by hand from the AMF0 specification.</summary>
public class Amf0WireBytesTests
{
    [Fact]
    public void ConnectCommand()
    {
        var bytes = Amf0Bytes.Of(FromString("connect"), FromNumber(1.0), Object(Prop("app", "live")));
        var expected = Hex.Bytes(
            "02 0007 636F6E6E656374" +          // "connect"
            "00 3FF0000000000000" +             // 1.0
            "03 0003 617070 02 0004 6C697665" + // { app: "live"
            "0000 09");                         // }
        Assert.Equal(expected, bytes);

        var values = Amf0Reader.ReadAll(expected);
        Assert.Equal(3, values.Count);
        Assert.Equal("connect", values[0].String);
        Assert.Equal(1.0, values[1].Number);
        Assert.Equal("live", values[2].GetString("app"));
    }

    [Theory]
    [InlineData(0.0, "00 0000000000000000")]
    [InlineData(-2.5, "00 C004000000000000")]
    [InlineData(1935.0, "00 409E3C0000000000")]
    public void Numbers(double value, string hex) =>
        Assert.Equal(Hex.Bytes(hex), Amf0Bytes.Of(w => Amf0Writer.WriteNumber(w, value)));

    [Fact]
    public void Scalars()
    {
        Assert.Equal(Hex.Bytes("01 01"), Amf0Bytes.Of(w => Amf0Writer.WriteBoolean(w, true)));
        Assert.Equal(Hex.Bytes("01 00"), Amf0Bytes.Of(w => Amf0Writer.WriteBoolean(w, false)));
        Assert.Equal(Hex.Bytes("05"), Amf0Bytes.Of(w => Amf0Writer.WriteNull(w)));
        Assert.Equal(Hex.Bytes("06"), Amf0Bytes.Of(Undefined));
        Assert.Equal(Hex.Bytes("02 0000"), Amf0Bytes.Of(w => Amf0Writer.WriteString(w, string.Empty)));
        Assert.Equal(Hex.Bytes("02 0002 C3A9"), Amf0Bytes.Of(w => Amf0Writer.WriteString(w, "é")));
    }

    [Fact]
    public void Date() =>
        Assert.Equal(
            Hex.Bytes("0B 4272EAE09C800000 FFC4"),  // 1.3e12 ms (2011-03-13), tz -60
            Amf0Bytes.Of(Amf0Value.Date(1_300_000_000_000, -60)));

    [Fact]
    public void EcmaArrayWritesCountAndEndMarker() =>
        Assert.Equal(
            Hex.Bytes("08 00000002 0005 7769647468 00 4094000000000000 0006 73746572656F 01 01 0000 09"),
            Amf0Bytes.Of(EcmaArray(Prop("width", 1280.0), Prop("stereo", true))));

    [Fact]
    public void StrictArrayWritesCountWithoutEndMarker() =>
        Assert.Equal(
            Hex.Bytes("0A 00000003 05 01 00 02 0001 78"),
            Amf0Bytes.Of(StrictArray(Null, FromBoolean(false), FromString("x"))));

    [Fact]
    public void StringOf65535BytesStaysShort()
    {
        var bytes = Amf0Bytes.Of(FromString(new string('a', 65535)));
        Assert.Equal(3 + 65535, bytes.Length);
        Assert.Equal(Hex.Bytes("02 FFFF 6161"), bytes[..5]);
    }

    [Fact]
    public void StringOver65535BytesBecomesLong()
    {
        var bytes = Amf0Bytes.Of(FromString(new string('a', 65536)));
        Assert.Equal(5 + 65536, bytes.Length);
        Assert.Equal(Hex.Bytes("0C 00010000 6161"), bytes[..7]);
    }

    [Fact]
    public void LongStringCountsUtf8BytesNotChars()
    {
        // 30000 two-byte characters: 30000 chars but 60000 bytes (short); 40000 of them: 80000 bytes (long).
        Assert.Equal(0x02, Amf0Bytes.Of(FromString(new string('é', 30000)))[0]);
        var bytes = Amf0Bytes.Of(FromString(new string('é', 40000)));
        Assert.Equal(Hex.Bytes("0C 00013880 C3A9"), bytes[..7]);
    }

    [Fact]
    public void PropertyNameOver65535BytesIsRejectedByTheWriter()
    {
        var value = Object(Prop(new string('k', 65536), 1.0));
        Assert.Throws<ArgumentException>(() => Amf0Bytes.Of(value));
    }

    [Fact]
    public void ReaderAcceptsAnEcmaArrayWithoutEndMarkerWhenCountMatches()
    {
        var bytes = Hex.Bytes("08 00000001 0001 61 00 3FF0000000000000");
        var offset = 0;
        var value = Amf0Reader.ReadValue(bytes, ref offset);
        Assert.Equal(bytes.Length, offset);
        Assert.Equal(Amf0Kind.EcmaArray, value.Kind);
        Assert.Equal(1.0, value.GetNumber("a"));
    }

    [Fact]
    public void ReaderIgnoresAWrongEcmaCountWhenTheEndMarkerIsThere()
    {
        var bytes = Hex.Bytes("08 00000000 0001 61 05 0001 62 06 0000 09 05");
        var offset = 0;
        var value = Amf0Reader.ReadValue(bytes, ref offset);
        Assert.Equal(bytes.Length - 1, offset);
        Assert.Equal(["a", "b"], value.Properties.Select(p => p.Key));
        Assert.Same(Null, value["a"]);
        Assert.Same(Undefined, value["b"]);
    }

    [Fact]
    public void ReaderTakesTypedObjectsAsObjects()
    {
        var bytes = Hex.Bytes("10 0003 466F6F 0001 78 00 4000000000000000 0000 09");
        var offset = 0;
        var value = Amf0Reader.ReadValue(bytes, ref offset);
        Assert.Equal(Amf0Kind.Object, value.Kind);
        Assert.Equal(2.0, value.GetNumber("x"));
        Assert.Equal(bytes.Length, offset);
    }

    [Fact]
    public void ReaderAcceptsAnEmptyKeyThatIsNotTheEndMarker()
    {
        var bytes = Hex.Bytes("03 0000 01 01 0000 09");
        var offset = 0;
        var value = Amf0Reader.ReadValue(bytes, ref offset);
        Assert.True(value[string.Empty] is { Kind: Amf0Kind.Boolean, Boolean: true });
    }

    [Fact]
    public void ReaderAdvancesOffsetFromTheMiddle()
    {
        var bytes = Hex.Bytes("05 01 01 06");
        var offset = 1;
        var value = Amf0Reader.ReadValue(bytes, ref offset);
        Assert.True(value.Boolean);
        Assert.Equal(3, offset);
    }

    [Fact]
    public void InvalidUtf8BecomesReplacementCharacters()
    {
        var bytes = Hex.Bytes("02 0002 C328");
        var offset = 0;
        Assert.Equal("\uFFFD(", Amf0Reader.ReadValue(bytes, ref offset).String);
    }
}
