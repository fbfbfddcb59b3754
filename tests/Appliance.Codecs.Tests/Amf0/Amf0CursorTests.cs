using System.Text;
using Appliance.Codecs.Amf0;
using Appliance.Codecs.Tests.Support;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Codecs.Tests.Amf0;

/// <summary>The cursor skips exactly what the reader reads and refuses exactly what it refuses.</summary>
public class Amf0CursorTests
{
    public static TheoryData<string> Inputs => new()
    {
        // Well formed.
        "00 3FF0000000000000", "01 01", "02 0003 616263", "0C 00000002 6869", "05", "06", "0B 4272EAE09C800000 0000",
        "03 0001 61 05 0000 09", "03 0000 05 0000 09", "10 0003 466F6F 0001 61 00 3FF0000000000000 0000 09",
        "08 00000001 0001 61 05 0000 09", "08 00000001 0001 61 05", "08 00000000", "0A 00000002 05 02 0001 61",
        "03 0001 61 03 0001 62 0A 00000001 05 0000 09 0000 09", "02 0002 FFFE",
        // Malformed (the rejection tests' inputs).
        "", "00 3FF00000", "01", "02 00", "02 0005 6162", "0C 0000", "0C FFFFFFFF 61", "0B 4272EAE09C800000 FF",
        "03 0001 61 05", "03 0005 61", "03 0001 61", "03 0000", "08 0000", "08 00000002 0001 61 05",
        "08 00000001 0001 61 05 0001 62 05", "0A 000000", "0A 00000005 05 05", "0A FFFFFFFF 05", "10 0009 466F6F",
        "04", "07 0000", "09", "0D", "11 0A 0B 01", "FF",
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void SkipsWhatTheReaderReadsAndRefusesWhatItRefuses(string hex) => AssertSkipsLikeRead(Hex.Bytes(hex));

    [Fact]
    public void NestingAndValueBoundsAreTheReaders()
    {
        AssertSkipsLikeRead(Amf0RoundTripTests.NestedObjects(32));
        AssertSkipsLikeRead(Amf0RoundTripTests.NestedObjects(33));
        AssertSkipsLikeRead(Amf0RoundTripTests.StrictArrayOfNulls(65535));
        AssertSkipsLikeRead(Amf0RoundTripTests.StrictArrayOfNulls(65536));
        var wide = new List<byte> { 0x03 };
        for (var i = 0; i < 70_000; i++)
        {
            wide.AddRange([0x00, 0x00, 0x05]);
        }
        wide.AddRange([0x00, 0x00, 0x09]);
        AssertSkipsLikeRead([.. wide]);
    }

    [Fact]
    public void ReadsAnObjectsPropertiesInPlace()
    {
        var bytes = Amf0Bytes.Of(Object(Prop("app", "live"), Prop("nested", Object(Prop("x", 1))), Prop("n", 2.5), Prop("b", true)), FromNumber(7));
        var cursor = new Amf0Cursor(bytes, 0);

        Assert.True(cursor.TryEnterObject());
        Assert.True(cursor.TryReadPropertyName(out var app));
        Assert.Equal("app", Encoding.UTF8.GetString(app));
        Assert.False(cursor.TryReadNumber(out _));
        Assert.True(cursor.TryReadString(out var live));
        Assert.Equal("live", Encoding.UTF8.GetString(live));
        Assert.True(cursor.TryReadPropertyName(out _));
        Assert.True(cursor.NextIsObjectLike);
        cursor.SkipValue();
        Assert.True(cursor.TryReadPropertyName(out _));
        Assert.True(cursor.TryReadNumber(out var number));
        Assert.Equal(2.5, number);
        Assert.True(cursor.TryReadPropertyName(out _));
        Assert.True(cursor.TryReadBoolean(out var flag));
        Assert.True(flag);
        Assert.False(cursor.TryReadPropertyName(out _));
        Assert.True(cursor.TryReadNumber(out var after));
        Assert.Equal(7, after);
        Assert.True(cursor.AtEnd);
    }

    [Fact]
    public void ATryReadOfAnotherKindMovesNothing()
    {
        var cursor = new Amf0Cursor(Hex.Bytes("05"), 0);

        Assert.False(cursor.TryReadString(out _));
        Assert.False(cursor.TryReadNumber(out _));
        Assert.False(cursor.TryReadBoolean(out _));
        Assert.False(cursor.TryEnterObject());
        Assert.Equal(0, cursor.Offset);
    }

    [Fact]
    public void ObjectsWrittenPieceByPieceAreTheValuesBytes()
    {
        var expected = Amf0Bytes.Of(Object(Prop("level", "status"), Prop("objectEncoding", 3)));

        var actual = Amf0Bytes.Of(w =>
        {
            Amf0Writer.WriteObjectStart(w);
            Amf0Writer.WritePropertyName(w, "level");
            Amf0Writer.WriteString(w, "status");
            Amf0Writer.WritePropertyName(w, "objectEncoding");
            Amf0Writer.WriteNumber(w, 3);
            Amf0Writer.WriteObjectEnd(w);
        });

        Assert.Equal(expected, actual);
    }

    private static void AssertSkipsLikeRead(byte[] bytes)
    {
        var readOffset = 0;
        Exception? readFailure = null;
        try
        {
            Amf0Reader.ReadValue(bytes, ref readOffset);
        }
        catch (Amf0FormatException e)
        {
            readFailure = e;
        }

        var skipOffset = -1;
        Exception? skipFailure = null;
        try
        {
            var cursor = new Amf0Cursor(bytes, 0);
            cursor.SkipValue();
            skipOffset = cursor.Offset;
        }
        catch (Amf0FormatException e)
        {
            skipFailure = e;
        }

        Assert.Equal(readFailure?.Message, skipFailure?.Message);
        if (readFailure is null)
        {
            Assert.Equal(readOffset, skipOffset);
        }
    }
}
