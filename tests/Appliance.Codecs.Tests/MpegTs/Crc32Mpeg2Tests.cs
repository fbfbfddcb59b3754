using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class Crc32Mpeg2Tests
{
    [Fact]
    public void MatchesTheCatalogueCheckValue()
    {
        // CRC-32/MPEG-2 in the CRC catalogue: check = 0x0376E6E7 over "123456789".
        Assert.Equal(0x0376E6E7u, Crc32Mpeg2.Compute("123456789"u8));
        Assert.Equal(0x0376E6E7u, BitByBit("123456789"u8));
    }

    [Theory]
    // The PAT ffmpeg writes for program 1 with its PMT on PID 0x1000.
    [InlineData("00B00D0001C100000001F000", 0x2AB104B2u)]
    // ffmpeg's PMT for H.264 on 0x100 (the PCR PID) and AAC on 0x101.
    [InlineData("02B0170001C10000E100F0001BE100F0000FE101F000", 0x2F44B99Bu)]
    public void MatchesFfmpegSections(string section, uint expected)
    {
        Assert.Equal(expected, Crc32Mpeg2.Compute(Hex.Bytes(section)));
    }

    [Fact]
    public void ASectionFollowedByItsCrcChecksToZero()
    {
        Assert.Equal(0u, Crc32Mpeg2.Compute(Hex.Bytes("00B00D0001C100000001F000 2AB104B2")));
        Assert.NotEqual(0u, Crc32Mpeg2.Compute(Hex.Bytes("00B00D0001C100000001F000 2AB104B3")));
    }

    [Fact]
    public void EmptyInputLeavesTheInitialValue()
    {
        Assert.Equal(Crc32Mpeg2.InitialValue, Crc32Mpeg2.Compute([]));
    }

    [Fact]
    public void SliceBy8AgreesWithTheBitByBitDefinitionOnRandomInput()
    {
        var random = new Random(1234);
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(BitByBit(data), Crc32Mpeg2.Compute(data));
        }
        var large = new byte[65_537];
        random.NextBytes(large);
        Assert.Equal(BitByBit(large), Crc32Mpeg2.Compute(large));
    }

    [Fact]
    public void UpdatingInPiecesEqualsOnePass()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        var crc = Crc32Mpeg2.InitialValue;
        for (var i = 0; i < data.Length; i += 13)
        {
            crc = Crc32Mpeg2.Update(crc, data.AsSpan(i, Math.Min(13, data.Length - i)));
        }
        Assert.Equal(Crc32Mpeg2.Compute(data), crc);
    }

    /// <summary>The definition itself, one bit at a time: the oracle the table-driven code must match.</summary>
    private static uint BitByBit(ReadOnlySpan<byte> data)
    {
        var crc = Crc32Mpeg2.InitialValue;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ Crc32Mpeg2.Polynomial : crc << 1;
            }
        }
        return crc;
    }
}
