using Appliance.Codecs.Amf0;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Codecs.Tests.Amf0;

public class Amf0ValueTests
{
    private static readonly Amf0Value Sample = Object(
        Prop("app", "live"),
        Prop("audioCodecs", 3575.0),
        Prop("fpad", false),
        Prop("nothing", Null),
        Prop("app", "second"));

    [Fact]
    public void IndexerFindsTheFirstPropertyByOrdinalName()
    {
        Assert.Equal("live", Sample["app"]!.String);
        Assert.Null(Sample["App"]);
        Assert.Null(Sample["missing"]);
    }

    [Fact]
    public void TypedGettersReturnNullOnKindMismatch()
    {
        Assert.Equal("live", Sample.GetString("app"));
        Assert.Null(Sample.GetString("audioCodecs"));
        Assert.Equal(3575.0, Sample.GetNumber("audioCodecs"));
        Assert.Null(Sample.GetNumber("app"));
        Assert.Null(Sample.GetString("missing"));
    }

    [Fact]
    public void IndexerOnANonObjectIsNull()
    {
        Assert.Null(FromString("x")["x"]);
        Assert.Null(StrictArray(FromString("x"))["0"]);
        Assert.Null(Null.GetNumber("x"));
    }

    [Fact]
    public void EcmaArraysAreIndexableToo() =>
        Assert.Equal(25.0, EcmaArray(Prop("framerate", 25.0)).GetNumber("framerate"));

    [Fact]
    public void NonContainerKindsHaveEmptyCollections()
    {
        Assert.Empty(FromNumber(1).Properties);
        Assert.Empty(FromNumber(1).Items);
        Assert.Empty(Object(Prop("a", 1.0)).Items);
        Assert.Empty(StrictArray(Null).Properties);
    }

    [Fact]
    public void FactoriesCopyTheirArguments()
    {
        var props = new[] { Prop("a", 1.0) };
        var items = new[] { FromNumber(1) };
        var obj = Object(props);
        var array = StrictArray(items);
        props[0] = Prop("b", 2.0);
        items[0] = Null;
        Assert.Equal("a", obj.Properties[0].Key);
        Assert.Equal(Amf0Kind.Number, array.Items[0].Kind);
    }

    [Fact]
    public void FactoriesRejectNulls()
    {
        Assert.Throws<ArgumentNullException>(() => FromString(null!));
        Assert.Throws<ArgumentException>(() => Object(new KeyValuePair<string, Amf0Value>("a", null!)));
        Assert.Throws<ArgumentException>(() => EcmaArray(new KeyValuePair<string, Amf0Value>(null!, Null)));
        Assert.Throws<ArgumentNullException>(() => StrictArray(Null, null!));
    }

    [Fact]
    public void DateKeepsMillisecondsAndTimeZone()
    {
        var date = Date(1234.5, -120);
        Assert.Equal(Amf0Kind.Date, date.Kind);
        Assert.Equal(1234.5, date.Number);
        Assert.Equal(-120, date.TimeZone);
    }

    [Fact]
    public void ToStringIsReadable() =>
        Assert.Equal("{app: \"live\", n: [1, null, true]}", Object(Prop("app", "live"), Prop("n", StrictArray(FromNumber(1), Null, FromBoolean(true)))).ToString());
}
