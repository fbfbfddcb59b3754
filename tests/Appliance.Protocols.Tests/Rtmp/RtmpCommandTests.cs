using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpCommandTests
{
    [Fact]
    public void EncodesNameTransactionNullObjectAndArguments()
    {
        var payload = RtmpCommand.Encode("_result", 2, null, Amf0Value.FromNumber(1));

        Assert.Equal(Hex.Bytes("02 0007 5F726573756C74  00 4000000000000000  05  00 3FF0000000000000"), payload);
    }

    [Fact]
    public void EncodesACommandObject()
    {
        var payload = RtmpCommand.Encode("connect", 1, Amf0Value.Object(Amf0Value.Prop("app", "live")));

        Assert.Equal(Hex.Bytes("02 0007 636F6E6E656374  00 3FF0000000000000  03 0003 617070 02 0004 6C697665 000009"), payload);
    }

    [Fact]
    public void DecodesWhatItEncodes()
    {
        var payload = RtmpCommand.Encode("onStatus", 0, null,
            Amf0Value.Object(Amf0Value.Prop("level", "status"), Amf0Value.Prop("code", "NetStream.Play.Start")),
            Amf0Value.FromString("extra"));

        var command = RtmpCommand.Decode(payload);

        Assert.Equal("onStatus", command.Name);
        Assert.Equal(0, command.TransactionId);
        Assert.Null(command.CommandObject);
        Assert.Equal(2, command.Arguments.Count);
        Assert.Equal("NetStream.Play.Start", command.Arguments[0].GetString("code"));
        Assert.Equal("extra", command.Arguments[1].String);
    }

    [Fact]
    public void DecodesCommandObjectAndMissingRest()
    {
        var withObject = RtmpCommand.Decode(RtmpCommand.Encode("connect", 1, Amf0Value.Object(Amf0Value.Prop("app", "live"))));
        var bare = RtmpCommand.Decode(Hex.Bytes("02 0008 6F6E425744 6F6E65  00 0000000000000000"));   // "onBWDone", 0

        Assert.Equal("live", withObject.CommandObject!.GetString("app"));
        Assert.Empty(withObject.Arguments);
        Assert.Equal("onBWDone", bare.Name);
        Assert.Null(bare.CommandObject);
        Assert.Empty(bare.Arguments);
    }

    [Theory]
    [InlineData("")]                                              // nothing
    [InlineData("00 3FF0000000000000")]                            // name is a number
    [InlineData("02 0004 706C6179")]                               // no transaction id
    [InlineData("02 0004 706C6179  02 0001 31")]                   // transaction id is a string
    public void RejectsMissingOrMistypedNameAndTransaction(string hex)
    {
        Assert.Throws<RtmpProtocolException>(() => RtmpCommand.Decode(Hex.Bytes(hex)));
    }

    [Theory]
    [InlineData("02 0010 706C6179")]                               // name longer than the payload
    [InlineData("02 0004 706C6179  00 3FF00000")]                  // truncated number
    [InlineData("02 0004 706C6179  00 3FF0000000000000  05  FF")] // unknown marker in the arguments
    public void WrapsMalformedAmf0(string hex)
    {
        var e = Assert.Throws<RtmpProtocolException>(() => RtmpCommand.Decode(Hex.Bytes(hex)));

        Assert.IsType<Amf0FormatException>(e.InnerException);
    }
}
