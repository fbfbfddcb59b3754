using Appliance.Relay.Pull;

namespace Appliance.Relay.Tests.Pull;

public sealed class ParentMediaTimeTests
{
    [Theory]
    [InlineData(0d, 0L)]
    [InlineData(4294969296d, 4294969296L)]
    [InlineData(9007199254740992d, 9007199254740992L)]
    public void A_whole_number_of_milliseconds_from_0_to_2_pow_53_is_the_media_time(double value, long expected)
    {
        Assert.Equal(expected, ParentMediaTime.Read(value, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(-1d)]
    [InlineData(1.5d)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(9007199254740994d)]
    public void Any_other_number_is_refused_with_the_reason(double value)
    {
        Assert.Null(ParentMediaTime.Read(value, out var problem));
        Assert.StartsWith("applianceMediaTimeMs ", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("4294969296", 4294969296L)]
    [InlineData("9007199254740992", 9007199254740992L)]
    public void A_header_of_decimal_digits_up_to_2_pow_53_is_the_media_time(string text, long expected)
    {
        Assert.Equal(expected, ParentMediaTime.Read(text, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1e9")]
    [InlineData("0x10")]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890123456789012345678901234567890")]
    public void Any_other_header_is_refused_with_the_reason(string text)
    {
        Assert.Null(ParentMediaTime.Read(text, out var problem));
        Assert.StartsWith("Appliance-Media-Time-Ms \"", problem, StringComparison.Ordinal);
        Assert.True(problem!.Length < 160, problem);
    }

    [Fact]
    public void Nothing_said_is_no_media_time_and_no_problem()
    {
        Assert.Null(ParentMediaTime.Read((double?)null, out var fromRtmp));
        Assert.Null(ParentMediaTime.Read((string?)null, out var fromHttp));
        Assert.Null(fromRtmp);
        Assert.Null(fromHttp);
    }
}
