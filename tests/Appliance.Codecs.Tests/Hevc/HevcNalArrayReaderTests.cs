using Appliance.Codecs.Hevc;

namespace Appliance.Codecs.Tests.Hevc;

public class HevcNalArrayReaderTests
{
    // 22 fixed bytes, then 2 arrays: VPS (type 32) with one 2-byte unit, SPS (33) with two units.
    private static byte[] Record() =>
    [
        .. new byte[22],
        2,
        0x20, 0, 1, 0, 2, 0x40, 0x01,
        0x21, 0, 2, 0, 2, 0x42, 0x01, 0, 3, 0x42, 0x01, 0xAA,
    ];

    [Fact]
    public void Every_unit_comes_with_its_arrays_type_in_order()
    {
        var reader = new HevcNalArrayReader(Record());
        var seen = new List<(int, string)>();
        while (reader.TryReadNext(out var type, out var nal))
        {
            seen.Add((type, Convert.ToHexString(nal)));
        }

        Assert.Equal([(32, "4001"), (33, "4201"), (33, "4201AA")], seen);
        Assert.False(reader.Failed);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(35)]
    public void A_truncated_record_ends_the_walk_as_failed_without_reading_past_it(int length)
    {
        var reader = new HevcNalArrayReader(Record().AsSpan(0, length));
        var units = 0;
        while (reader.TryReadNext(out _, out _))
        {
            units++;
        }

        Assert.True(reader.Failed);
        Assert.True(units < 3);
    }
}
