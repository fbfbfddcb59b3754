using System.Runtime.Intrinsics;
using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class NalScannerTests
{
    [Theory]
    [InlineData("", -1)]
    [InlineData("0000", -1)]
    [InlineData("000001", 0)]
    [InlineData("00000001", 1)]
    [InlineData("010000", -1)]
    [InlineData("0001000001", 2)]
    [InlineData("00000201000001", 4)]
    [InlineData("FF00FF0000FF000001", 6)]
    public void FindsTheFirstStartCode(string hex, int expected)
    {
        var data = Hex.Bytes(hex);
        Assert.Equal(expected, NalScanner.IndexOfStartCode(data));
        Assert.Equal(expected, NalScanner.IndexOfStartCodeScalar(data));
    }

    [Fact]
    public void FindsStartCodesAtEveryPositionOfLongBuffers()
    {
        // Every placement, including those straddling a 16- or 32-byte step and the scalar tail.
        for (var length = 3; length <= 100; length++)
        {
            for (var at = 0; at + 3 <= length; at++)
            {
                var data = new byte[length];
                data.AsSpan().Fill(0x55);
                data[at] = 0;
                data[at + 1] = 0;
                data[at + 2] = 1;
                AssertAllPaths(data, at);
            }
            AssertAllPaths(Enumerable.Repeat((byte)0x55, length).ToArray(), -1);
        }
    }

    [Fact]
    public void ZerosWithoutAOneAreNotAStartCode()
    {
        AssertAllPaths(new byte[200], -1);
        var almost = new byte[200];
        almost[199] = 1;
        AssertAllPaths(almost, 197);
    }

    [Fact]
    public void VectorPathsAgreeWithTheScalarPathOnRandomInput()
    {
        var random = new Random(20240601);
        for (var round = 0; round < 2000; round++)
        {
            var data = new byte[random.Next(0, 400)];
            // Mostly 0, 1 and one other value, so start codes and near misses are common.
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(random.Next(8) switch { < 4 => 0, < 6 => 1, _ => random.Next(256) });
            }
            var position = 0;
            while (true)
            {
                var expected = NalScanner.IndexOfStartCodeScalar(data.AsSpan(position));
                AssertAllPaths(data.AsSpan(position).ToArray(), expected);
                if (expected < 0)
                {
                    break;
                }
                position += expected + 1;
            }
        }
    }

    [Fact]
    public void AnnexBReaderSplitsUnitsAndDropsZeroPadding()
    {
        var data = Hex.Bytes("AABB 00000001 0910 000001 6742 0000 000001 68CE 00000000 000001 65 00000001");
        var units = new List<string>();
        var reader = new AnnexBReader(data);
        while (reader.TryReadNext(out var nal))
        {
            units.Add(Hex.Of(nal));
        }
        Assert.Equal(["0910", "6742", "68CE", "65"], units);
    }

    [Fact]
    public void AnnexBReaderFindsNothingWithoutAStartCode()
    {
        var reader = new AnnexBReader(Hex.Bytes("6742000102"));
        Assert.False(reader.TryReadNext(out _));
    }

    private static void AssertAllPaths(byte[] data, int expected)
    {
        Assert.Equal(expected, NalScanner.IndexOfStartCodeScalar(data));
        Assert.Equal(expected, NalScanner.IndexOfStartCode(data));
        if (Vector256.IsHardwareAccelerated && data.Length >= 34)
        {
            Assert.Equal(expected, NalScanner.IndexOfStartCodeVector256(data));
        }
        if (Vector128.IsHardwareAccelerated && data.Length >= 18)
        {
            Assert.Equal(expected, NalScanner.IndexOfStartCodeVector128(data));
        }
    }
}
