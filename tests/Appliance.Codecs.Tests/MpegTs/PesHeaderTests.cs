using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class PesHeaderTests
{
    [Fact]
    public void WritesAVideoHeaderWithPtsAndDts()
    {
        // DTS 1000 ms = 90000, PTS 1040 ms = 93600; PES_packet_length 0 for video.
        var header = new byte[PesHeader.MaxLength];
        var length = PesHeader.Write(header, PesHeader.VideoStreamId, TsTimestamp.FromMilliseconds(1040), TsTimestamp.FromMilliseconds(1000), payloadLength: null);
        Assert.Equal(19, length);
        Assert.Equal("000001E0 0000 80 C0 0A 310005DB41 110005BF21".Replace(" ", string.Empty), Hex.Of(header));
    }

    [Fact]
    public void WritesPtsAloneWhenDtsEqualsIt()
    {
        // ffmpeg's audio PES header for PTS 126000, carrying 677 bytes: the same bytes.
        var header = new byte[PesHeader.MaxLength];
        var length = PesHeader.Write(header, PesHeader.AudioStreamId, 126000, 126000, payloadLength: 677);
        Assert.Equal(14, length);
        Assert.Equal("000001C002AD808005210007D861", Hex.Of(header.AsSpan(0, length)));
    }

    [Fact]
    public void ABoundedLengthAbove64KThrows()
    {
        var header = new byte[PesHeader.MaxLength];
        Assert.Throws<ArgumentOutOfRangeException>(() => PesHeader.Write(header, PesHeader.AudioStreamId, 0, 0, 65536 - 8));
        Assert.Equal(14, PesHeader.Write(header, PesHeader.AudioStreamId, 0, 0, 65535 - 8));
        Assert.Equal("FFFF", Hex.Of(header.AsSpan(4, 2)));
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, 90L)]
    [InlineData(40L, 3600L)]
    // 2^33 / 90 = 95443717.7: one tick past the wrap lands on 28.
    [InlineData(95_443_717L, 8_589_934_530L)]
    [InlineData(95_443_718L, 28L)]
    [InlineData(-1L, 8_589_934_502L)]
    [InlineData(long.MaxValue, 8_589_934_502L)]
    public void ConvertsMillisecondsExactlyAndWrapsAt33Bits(long milliseconds, long expected)
    {
        Assert.Equal(expected, TsTimestamp.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(93600L)]
    [InlineData((1L << 32) + 12345)]
    [InlineData((1L << 33) - 1)]
    public void ParsesWhatItWrites(long pts)
    {
        var header = new byte[PesHeader.MaxLength];
        var dts = (pts + 1) & TsTimestamp.Mask;
        var length = PesHeader.Write(header, PesHeader.VideoStreamId, pts, dts, null);
        Assert.True(PesHeader.TryParse(header, out var info));
        Assert.Equal(new PesHeaderInfo(PesHeader.VideoStreamId, 0, length, pts, dts), info);
    }

    [Fact]
    public void ParsesAHeaderWithoutTimestamps()
    {
        Assert.True(PesHeader.TryParse(Hex.Bytes("000001E0 0005 80 00 00 AABB"), out var info));
        Assert.Equal(new PesHeaderInfo(0xE0, 5, 9, -1, -1), info);
    }

    [Theory]
    // Shorter than the fixed part.
    [InlineData("000001E000008080")]
    // No start code prefix.
    [InlineData("000002E0 0000 80 80 05 2100010001")]
    // Padding stream: no optional header.
    [InlineData("000001BE 0000 80 80 05 2100010001")]
    // The '10' marker missing (an MPEG-1 style header).
    [InlineData("000001E0 0000 40 80 05 2100010001")]
    // PTS_DTS_flags '01' is forbidden.
    [InlineData("000001E0 0000 80 40 05 2100010001")]
    // PES_header_data_length runs past the data.
    [InlineData("000001E0 0000 80 80 09 2100010001")]
    // A PTS flag with too few header bytes to hold it.
    [InlineData("000001E0 0000 80 80 03 210001")]
    [InlineData("000001E0 0000 80 C0 05 2100010001")]
    public void RejectsMalformedHeaders(string hex)
    {
        Assert.False(PesHeader.TryParse(Hex.Bytes(hex), out _));
    }
}
