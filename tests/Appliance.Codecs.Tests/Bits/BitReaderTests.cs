using Appliance.Codecs.Bits;

namespace Appliance.Codecs.Tests.Bits;

public class BitReaderTests
{
    [Fact]
    public void ReadsBitsMsbFirstAcrossBytes()
    {
        var reader = new BitReader([0b1010_1100, 0b0101_0011, 0xFF, 0x00, 0x12, 0x34, 0x56, 0x78]);
        Assert.Equal(0b101u, reader.ReadBits(3));
        Assert.Equal(0b0_1100_0101u, reader.ReadBits(9));
        Assert.Equal(0b0011u, reader.ReadBits(4));
        Assert.Equal(0xFF001234u, reader.ReadBits(32));
        Assert.Equal(0x5678u, reader.ReadBits(16));
        Assert.False(reader.Failed);
        reader.ReadFlag();
        Assert.True(reader.Failed);
    }

    [Fact]
    public void ExpGolombCodes()
    {
        // ue: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3, 0001000 -> 7; se: 010 -> 1, 011 -> -1, 00100 -> 2
        // bits: 1 010 011 00100 0001000 010 011 00100 (+ padding 1s)
        var reader = new BitReader([0b1010_0110, 0b0100_0001, 0b0000_1001, 0b1001_0011]);
        Assert.Equal(0u, reader.ReadUe());
        Assert.Equal(1u, reader.ReadUe());
        Assert.Equal(2u, reader.ReadUe());
        Assert.Equal(3u, reader.ReadUe());
        Assert.Equal(7u, reader.ReadUe());
        Assert.Equal(1, reader.ReadSe());
        Assert.Equal(-1, reader.ReadSe());
        Assert.Equal(2, reader.ReadSe());
        Assert.False(reader.Failed);
    }

    [Fact]
    public void LargestUeCodeFitsAndLongerFails()
    {
        // 31 zeros, a one, then 31 ones: 2^32 - 2.
        var largest = new BitReader([0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFE]);
        Assert.Equal(uint.MaxValue - 1, largest.ReadUe());
        Assert.False(largest.Failed);

        var tooLong = new BitReader([0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.Equal(0u, tooLong.ReadUe());
        Assert.True(tooLong.Failed);
    }

    [Fact]
    public void ReadingPastTheEndFailsWithoutThrowing()
    {
        var reader = new BitReader([0xAB]);
        Assert.Equal(0xAu, reader.ReadBits(4));
        Assert.Equal(0u, reader.ReadBits(5));
        Assert.True(reader.Failed);
    }

    [Fact]
    public void UeRunningOffTheEndFails()
    {
        var reader = new BitReader([0x00, 0x01]);
        Assert.Equal(0u, reader.ReadUe());
        Assert.True(reader.Failed);
    }

    [Fact]
    public void MoreThan32BitsAtOnceFails()
    {
        var reader = new BitReader([0, 0, 0, 0, 0]);
        reader.ReadBits(33);
        Assert.True(reader.Failed);
    }

    [Fact]
    public void StripsEmulationPreventionBytes()
    {
        // RBSP 00 00 00 01 00 00 03 escaped as 00 00 03 00 01 00 00 03 03.
        var escaped = new byte[] { 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x03, 0x03 };
        var reader = new BitReader(escaped, stripEmulationPrevention: true);
        Assert.Equal(0x00000001u, reader.ReadBits(32));
        Assert.Equal(0x000003u, reader.ReadBits(24));
        Assert.False(reader.Failed);
        reader.ReadFlag();
        Assert.True(reader.Failed);

        var raw = new BitReader(escaped);
        Assert.Equal(0x00000300u, raw.ReadBits(32));
    }

    [Fact]
    public void ThreeAfterOnlyOneZeroIsData()
    {
        var reader = new BitReader([0x00, 0x03, 0x00, 0x00, 0x03], stripEmulationPrevention: true);
        Assert.Equal(0x00030000u, reader.ReadBits(32));
        Assert.Equal(0u, reader.ReadBits(1));
        Assert.True(reader.Failed);  // the trailing 03 was an escape, so nothing remains
    }

    [Fact]
    public void SkipBitsPastTheEndFails()
    {
        var reader = new BitReader([0xFF, 0xFF]);
        reader.SkipBits(15);
        Assert.False(reader.Failed);
        Assert.True(reader.ReadFlag());
        reader.SkipBits(1);
        Assert.True(reader.Failed);
    }
}
