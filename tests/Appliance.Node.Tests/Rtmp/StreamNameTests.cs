using Appliance.Node.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class StreamNameTests
{
    [Fact]
    public void TheQueryIsSplitOffTheName()
    {
        var name = StreamName.Parse("cam?token=abc&x=1", 200, out var problem);

        Assert.Null(problem);
        Assert.Equal(new StreamName("cam", "token=abc&x=1"), name);
    }

    [Fact]
    public void ANameWithoutAQueryHasNone()
    {
        Assert.Equal(new StreamName("cam_1-hd.v2", null), StreamName.Parse("cam_1-hd.v2", 200, out _));
    }

    [Theory]
    [InlineData(null, "empty stream name")]
    [InlineData("", "empty stream name")]
    [InlineData("?token=abc", "empty stream name")]
    [InlineData("a/b", "stream name has a forbidden character")]
    [InlineData("a\\b", "stream name has a forbidden character")]
    [InlineData("a b", "stream name has a forbidden character")]
    [InlineData("a%2Fb", "stream name has a forbidden character")]
    [InlineData("a#b", "stream name has a forbidden character")]
    [InlineData("a\nb", "stream name has a forbidden character")]
    [InlineData(".", "stream name has a forbidden character")]
    [InlineData("..", "stream name has a forbidden character")]
    public void UnusableNamesAreRefusedWithAReason(string? raw, string reason)
    {
        Assert.Null(StreamName.Parse(raw, 200, out var problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void TheLengthLimitCountsTheNameNotTheQuery()
    {
        Assert.NotNull(StreamName.Parse(new string('a', 10) + "?" + new string('q', 100), 10, out _));
        Assert.Null(StreamName.Parse(new string('a', 11), 10, out var problem));
        Assert.Equal("stream name longer than 10", problem);
    }
}
