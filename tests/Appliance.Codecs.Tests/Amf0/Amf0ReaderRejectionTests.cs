using Appliance.Codecs.Amf0;
using Appliance.Codecs.Tests.Support;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Codecs.Tests.Amf0;

public class Amf0ReaderRejectionTests
{
    [Theory]
    [InlineData("empty input", "")]
    [InlineData("truncated number", "00 3FF00000")]
    [InlineData("truncated boolean", "01")]
    [InlineData("truncated string length", "02 00")]
    [InlineData("truncated string", "02 0005 6162")]
    [InlineData("truncated long string length", "0C 0000")]
    [InlineData("long string longer than input", "0C FFFFFFFF 61")]
    [InlineData("truncated date", "0B 4272EAE09C800000 FF")]
    [InlineData("object without end", "03 0001 61 05")]
    [InlineData("object key truncated", "03 0005 61")]
    [InlineData("object value missing", "03 0001 61")]
    [InlineData("object end marker missing its 09", "03 0000")]
    [InlineData("truncated ecma count", "08 0000")]
    [InlineData("ecma without end and fewer pairs than count", "08 00000002 0001 61 05")]
    [InlineData("ecma without end and more pairs than count", "08 00000001 0001 61 05 0001 62 05")]
    [InlineData("truncated strict array count", "0A 000000")]
    [InlineData("strict array count larger than input", "0A 00000005 05 05")]
    [InlineData("strict array count of 4 billion", "0A FFFFFFFF 05")]
    [InlineData("typed object class name truncated", "10 0009 466F6F")]
    public void TruncatedOrOversizedInput(string name, string hex) => AssertRejected(name, Hex.Bytes(hex));

    [Theory]
    [InlineData(0x04)]  // movie clip
    [InlineData(0x07)]  // reference
    [InlineData(0x09)]  // object end where a value should be
    [InlineData(0x0D)]  // unsupported
    [InlineData(0x0E)]  // record set
    [InlineData(0x0F)]  // XML document
    [InlineData(0x12)]
    [InlineData(0xFF)]
    public void UnknownMarker(byte marker)
    {
        var ex = AssertRejected("marker", [marker, 0x00, 0x00, 0x00, 0x00]);
        Assert.Contains($"0x{marker:X2}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AvmPlusMarker()
    {
        var ex = AssertRejected("AVM+", Hex.Bytes("11 0A 0B 01"));
        Assert.Contains("AMF3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingOf33Objects() => AssertRejected("deep", Amf0RoundTripTests.NestedObjects(33));

    [Fact]
    public void NestingOf33StrictArrays()
    {
        var bytes = new List<byte>();
        for (var i = 0; i < 33; i++)
        {
            bytes.AddRange([0x0A, 0x00, 0x00, 0x00, 0x01]);
        }
        bytes.Add(0x05);
        AssertRejected("deep arrays", bytes.ToArray());
    }

    [Fact]
    public void DeeplyNestedHostileInputDoesNotOverflowTheStack()
    {
        // 100k nested ECMA arrays (08 00000000, then an empty key whose value is the next array)
        // would blow the stack if depth were not bounded.
        var bytes = new byte[100_000 * 7];
        for (var i = 0; i < bytes.Length; i += 7)
        {
            bytes[i] = 0x08;
        }
        AssertRejected("very deep", bytes);
    }

    [Fact]
    public void StrictArrayOf65536ItemsExceedsTheValueLimit() =>
        AssertRejected("too many", Amf0RoundTripTests.StrictArrayOfNulls(65536));

    [Fact]
    public void ReadAllOf65537ValuesExceedsTheValueLimit() =>
        Assert.Throws<Amf0FormatException>(() => Amf0Reader.ReadAll(Enumerable.Repeat((byte)0x05, 65537).ToArray()));

    [Fact]
    public void ManySmallObjectsExceedTheValueLimit()
    {
        // 70000 properties in one object: each value counts.
        var bytes = new List<byte> { 0x03 };
        for (var i = 0; i < 70_000; i++)
        {
            bytes.AddRange([0x00, 0x00, 0x05]);
        }
        bytes.AddRange([0x00, 0x00, 0x09]);
        AssertRejected("wide", bytes.ToArray());
    }

    [Fact]
    public void OffsetOutsideTheInput()
    {
        var offset = 3;
        Assert.Throws<Amf0FormatException>(() => Amf0Reader.ReadValue(new byte[] { 0x05, 0x05 }, ref offset));
        offset = -1;
        Assert.Throws<Amf0FormatException>(() => Amf0Reader.ReadValue(new byte[] { 0x05 }, ref offset));
    }

    [Fact]
    public void OffsetIsUnchangedOnFailure()
    {
        var offset = 1;
        Assert.Throws<Amf0FormatException>(() => Amf0Reader.ReadValue(Hex.Bytes("05 00 3FF0"), ref offset));
        Assert.Equal(1, offset);
    }

    [Fact]
    public void ReadAllRejectsTrailingGarbage() =>
        Assert.Throws<Amf0FormatException>(() => Amf0Reader.ReadAll(Hex.Bytes("05 05 07")));

    [Fact]
    public void EveryTruncationOfAValidMessageIsRejectedCleanly()
    {
        var bytes = Amf0Bytes.Of(
            FromString("onMetaData"),
            EcmaArray(
                Prop("duration", 0.0),
                Prop("encoder", "Lavf"),
                Prop("list", StrictArray(FromNumber(1), Amf0Value.Date(5), Object(Prop("x", Null))))));
        var accepted = new List<int>();
        for (var length = 0; length < bytes.Length; length++)
        {
            try
            {
                Amf0Reader.ReadAll(bytes.AsSpan(0, length));
                accepted.Add(length);
            }
            catch (Amf0FormatException)
            {
            }
        }
        // Only the empty input, the string alone, and the array lacking just its end marker (count matches) are whole.
        Assert.Equal([0, 13, bytes.Length - 3], accepted);
        Assert.Equal(2, Amf0Reader.ReadAll(bytes).Count);
    }

    [Fact]
    public void RandomMutationsThrowNothingButAmf0FormatException()
    {
        var original = Amf0Bytes.Of(
            FromString("connect"),
            FromNumber(1),
            Object(Prop("app", "live"), Prop("list", StrictArray(FromNumber(2), EcmaArray(Prop("k", true))))));
        var random = new Random(1234);
        for (var round = 0; round < 5000; round++)
        {
            var bytes = (byte[])original.Clone();
            var changes = random.Next(1, 4);
            for (var c = 0; c < changes; c++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            try
            {
                Amf0Reader.ReadAll(bytes);
            }
            catch (Amf0FormatException)
            {
            }
        }
    }

    private static Amf0FormatException AssertRejected(string name, byte[] bytes)
    {
        var offset = 0;
        var ex = Assert.Throws<Amf0FormatException>(() => Amf0Reader.ReadValue(bytes, ref offset));
        Assert.Equal(0, offset);
        Assert.NotNull(name);
        return ex;
    }
}
