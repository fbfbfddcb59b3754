using System.Buffers;
using Appliance.Codecs.Amf0;

namespace Appliance.Codecs.Tests.Support;

internal static class Amf0Bytes
{
    public static byte[] Of(params Amf0Value[] values)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Amf0Writer.Write(writer, value);
        }
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Of(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Structural equality; NaN equals NaN and -0 differs from +0, as the bytes do.</summary>
    public static void AssertEqual(Amf0Value expected, Amf0Value actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Number), BitConverter.DoubleToInt64Bits(actual.Number));
        Assert.Equal(expected.Boolean, actual.Boolean);
        Assert.Equal(expected.String, actual.String);
        Assert.Equal(expected.TimeZone, actual.TimeZone);
        Assert.Equal(expected.Properties.Count, actual.Properties.Count);
        for (var i = 0; i < expected.Properties.Count; i++)
        {
            Assert.Equal(expected.Properties[i].Key, actual.Properties[i].Key);
            AssertEqual(expected.Properties[i].Value, actual.Properties[i].Value);
        }
        Assert.Equal(expected.Items.Count, actual.Items.Count);
        for (var i = 0; i < expected.Items.Count; i++)
        {
            AssertEqual(expected.Items[i], actual.Items[i]);
        }
    }
}
