using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class AvccToAnnexBTests
{
    [Theory]
    [InlineData(4, "00000002 0910 00000003 6588AA", "00000001 0910 00000001 6588AA")]
    [InlineData(2, "0002 0910 0003 6588AA", "00000001 0910 00000001 6588AA")]
    [InlineData(1, "02 0910 03 6588AA", "00000001 0910 00000001 6588AA")]
    [InlineData(3, "000002 0910", "00000001 0910")]
    // Zero-length units carry nothing and are skipped.
    [InlineData(4, "00000000 00000001 41 00000000", "00000001 41")]
    [InlineData(4, "", "")]
    public void RewritesLengthPrefixesAsStartCodes(int lengthSize, string avcc, string annexB)
    {
        var input = Hex.Bytes(avcc);
        var expected = Hex.Bytes(annexB);
        Assert.Equal(expected.Length, AvccToAnnexB.Measure(input, lengthSize));
        var output = new byte[expected.Length + 8];
        Assert.Equal(expected.Length, AvccToAnnexB.Convert(input, lengthSize, output));
        Assert.Equal(Hex.Of(expected), Hex.Of(output.AsSpan(0, expected.Length)));
        Array.Clear(output);
        Assert.Equal(expected.Length, AvccToAnnexB.ConvertScalar(input, lengthSize, output));
        Assert.Equal(Hex.Of(expected), Hex.Of(output.AsSpan(0, expected.Length)));
    }

    [Theory]
    // A length that runs one byte past the end.
    [InlineData(4, "00000004 090010")]
    [InlineData(4, "00000002 0910 00000009 65")]
    // A truncated length prefix after a good unit.
    [InlineData(4, "00000002 0910 0000")]
    [InlineData(2, "00")]
    // A length with the top bit set must not wrap negative.
    [InlineData(4, "FFFFFFFF 0910")]
    public void RejectsLengthsThatOverrun(int lengthSize, string avcc)
    {
        var input = Hex.Bytes(avcc);
        Assert.Equal(-1, AvccToAnnexB.Measure(input, lengthSize));
        var output = new byte[64];
        Assert.Equal(-1, AvccToAnnexB.Convert(input, lengthSize, output));
        Assert.Equal(-1, AvccToAnnexB.ConvertScalar(input, lengthSize, output));
    }

    [Fact]
    public void AShortDestinationThrows()
    {
        var input = Hex.Bytes("00000003 6588AA");
        Assert.Throws<ArgumentException>(() => AvccToAnnexB.Convert(input, 4, new byte[6]));
        Assert.Throws<ArgumentException>(() => AvccToAnnexB.ConvertScalar(input, 4, new byte[6]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void ALengthSizeOutsideOneToFourThrows(int lengthSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvccNalReader([], lengthSize));
    }

    [Fact]
    public void VectorCopyAgreesWithTheScalarPathOnRandomInput()
    {
        var random = new Random(4242);
        foreach (var lengthSize in new[] { 1, 2, 4 })
        {
            for (var round = 0; round < 200; round++)
            {
                var avcc = RandomAvcc(random, lengthSize);
                var length = AvccToAnnexB.Measure(avcc, lengthSize);
                Assert.True(length >= 0);
                var vector = new byte[length];
                var scalar = new byte[length];
                Assert.Equal(length, AvccToAnnexB.Convert(avcc, lengthSize, vector));
                Assert.Equal(length, AvccToAnnexB.ConvertScalar(avcc, lengthSize, scalar));
                Assert.Equal(scalar, vector);
            }
        }
    }

    private static byte[] RandomAvcc(Random random, int lengthSize)
    {
        var maxUnit = (1 << (8 * Math.Min(lengthSize, 2))) - 1;
        var bytes = new List<byte>();
        for (var unit = random.Next(0, 6); unit > 0; unit--)
        {
            var length = random.Next(0, Math.Min(maxUnit, 3000) + 1);
            for (var i = lengthSize - 1; i >= 0; i--)
            {
                bytes.Add((byte)(length >> (8 * i)));
            }
            var body = new byte[length];
            random.NextBytes(body);
            bytes.AddRange(body);
        }
        return [.. bytes];
    }
}
