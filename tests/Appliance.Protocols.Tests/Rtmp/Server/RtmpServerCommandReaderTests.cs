using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>
/// Commands read in place give the server exactly the fields the full decoder gave it, and what
/// the decoder refuses is refused with its words.
/// </summary>
public class RtmpServerCommandReaderTests
{
    private static readonly Amf0Value PlayerConnect = Object(
        Prop("app", "live"), Prop("type", "nonprivate"), Prop("flashVer", "LNX 9,0,124,2"), Prop("tcUrl", "rtmp://127.0.0.1:1935/live"),
        Prop("fpad", false), Prop("capabilities", 15), Prop("audioCodecs", 3191), Prop("videoCodecs", 252), Prop("videoFunction", 1));

    public static TheoryData<string, byte[]> ReadInPlace => new()
    {
        { "a player's connect", RtmpCommand.Encode("connect", 1, PlayerConnect) },
        { "ffmpeg's connect", RtmpCommand.Encode("connect", 1, Object(Prop("app", "live?token=abc"), Prop("flashVer", "FMLE/3.0"),
            Prop("swfUrl", "rtmp://h/live"), Prop("tcUrl", "rtmp://h/live"), Prop("pageUrl", "http://page/"), Prop("objectEncoding", 0))) },
        { "connect with duplicates", RtmpCommand.Encode("connect", 1, Object(Prop("app", "first"), Prop("app", "second"),
            Prop("objectEncoding", 3), Prop("objectEncoding", 0))) },
        { "connect whose first app is a number", RtmpCommand.Encode("connect", 1, Object(Prop("app", 5), Prop("app", "live"), Prop("tcUrl", true))) },
        { "connect with nested values", RtmpCommand.Encode("connect", 1, Object(Prop("x", Object(Prop("y", StrictArray(Null, FromString("z"))))),
            Prop("when", Date(1e12)), Prop("app", "live"), Prop("pageUrl", Undefined))) },
        { "connect with objectEncoding a string", RtmpCommand.Encode("connect", 1, Object(Prop("objectEncoding", "3"))) },
        { "connect with a null object", RtmpCommand.Encode("connect", 1, null) },
        { "connect with a number object", RtmpCommand.Encode("connect", 1, FromNumber(4)) },
        { "connect with arguments", RtmpCommand.Encode("connect", 1, Object(Prop("app", "live")), FromString("extra"), FromBoolean(true)) },
        { "connect without an object", Amf0Of(FromString("connect"), FromNumber(1)) },
        { "createStream", RtmpCommand.Encode("createStream", 2, null) },
        { "a player's play", RtmpCommand.Encode("play", 3, null, FromString("cam"), FromNumber(-2000)) },
        { "play with every argument", RtmpCommand.Encode("play", 3, null, FromString("cam?t=1"), FromNumber(-1), FromNumber(10), FromBoolean(false), FromNumber(9)) },
        { "play with arguments of other kinds", RtmpCommand.Encode("play", 3, null, FromNumber(1), FromString("x"), Null, FromString("y")) },
        { "play without a name", RtmpCommand.Encode("play", 3, null) },
        { "play with a command object", RtmpCommand.Encode("play", 3, Object(Prop("a", 1)), FromString("cam")) },
        { "publish", RtmpCommand.Encode("publish", 4, null, FromString("cam"), FromString("live")) },
        { "publish with a long string name", Amf0Of(FromString("publish"), FromNumber(4), Null) .Concat(LongString("cam")).ToArray() },
        { "pause", RtmpCommand.Encode("pause", 0, null, FromBoolean(true), FromNumber(1234)) },
        { "FCUnpublish", RtmpCommand.Encode("FCUnpublish", 5, null, FromString("cam")) },
        { "releaseStream", RtmpCommand.Encode("releaseStream", 2, null, FromString("cam")) },
        { "deleteStream", RtmpCommand.Encode("deleteStream", 6, null, FromNumber(1)) },
        { "an empty name argument", RtmpCommand.Encode("play", 3, null, FromString("")) },
        { "a name that is not UTF-8", Amf0Of(FromString("play"), FromNumber(3), Null).Concat(new byte[] { 0x02, 0x00, 0x02, 0xFF, 0xFE }).ToArray() },
    };

    [Theory]
    [MemberData(nameof(ReadInPlace))]
    public void ReadInPlaceLikeTheFullDecoder(string what, byte[] payload)
    {
        Assert.True(RtmpServerCommandReader.TryRead(payload, out var inPlace), what);
        Assert.Equal(RtmpServerCommand.From(RtmpCommand.Decode(payload)), inPlace);
    }

    public static TheoryData<string, byte[]> Decoded => new()
    {
        { "an unknown command", RtmpCommand.Encode("FCSubscribe", 4, null, FromString("cam")) },
        { "connect with an ECMA array", RtmpCommand.Encode("connect", 1, EcmaArray(Prop("app", "live"), Prop("tcUrl", "rtmp://h/live"))) },
        { "connect with a typed object", Amf0Of(FromString("connect"), FromNumber(1)).Concat(Hex.Bytes("10 0001 43 0003 617070 02 0004 6C697665 0000 09")).ToArray() },
    };

    [Theory]
    [MemberData(nameof(Decoded))]
    public void UnusualShapesAreDecodedInFull(string what, byte[] payload)
    {
        Assert.False(RtmpServerCommandReader.TryRead(payload, out _), what);
        Assert.Equal(RtmpServerCommand.From(RtmpCommand.Decode(payload)), RtmpServerCommandReader.Read(payload));
    }

    [Fact]
    public void AConnectInAnEcmaArrayStillNamesItsApp() =>
        Assert.Equal("live", RtmpServerCommandReader.Read(RtmpCommand.Encode("connect", 1, EcmaArray(Prop("app", "live")))).App);

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty", [] },
        { "a number for a name", Amf0Of(FromNumber(1), FromNumber(1)) },
        { "no transaction id", Amf0Of(FromString("connect")) },
        { "a string transaction id", Amf0Of(FromString("connect"), FromString("1")) },
        { "a truncated object", RtmpCommand.Encode("connect", 1, PlayerConnect)[..^5] },
        { "an object without its end", RtmpCommand.Encode("connect", 1, PlayerConnect)[..^3] },
        { "a truncated argument", RtmpCommand.Encode("play", 3, null, FromString("cam"))[..^1] },
        { "an unknown marker among the arguments", Amf0Of(FromString("play"), FromNumber(3), Null, FromString("cam")).Concat(new byte[] { 0x0D }).ToArray() },
        { "an AMF3 switch in the object", Amf0Of(FromString("connect"), FromNumber(1)).Concat(Hex.Bytes("03 0001 61 11 0000 09")).ToArray() },
        { "deep nesting in the object", Amf0Of(FromString("connect"), FromNumber(1)).Concat(Nested(40)).ToArray() },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedCommandsAreRefusedWithTheDecodersReason(string what, byte[] payload)
    {
        Assert.False(RtmpServerCommandReader.TryRead(payload, out _), what);
        var expected = Assert.Throws<RtmpProtocolException>(() => RtmpCommand.Decode(payload));
        var actual = Assert.Throws<RtmpProtocolException>(() => RtmpServerCommandReader.Read(payload));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public void KnownNamesAreTheServersOwnStrings()
    {
        // Compared by the switch, never allocated: the same instance as the literal.
        Assert.True(RtmpServerCommandReader.TryRead(RtmpCommand.Encode("createStream", 2, null), out var command));
        Assert.Same("createStream", command.Name);
    }

    [Fact]
    public void APlayersCommandsAllocateOnlyTheStringsTheServerKeeps()
    {
        var connect = RtmpCommand.Encode("connect", 1, PlayerConnect);
        var play = RtmpCommand.Encode("play", 3, null, FromString("cam"), FromNumber(-2000));
        var createStream = RtmpCommand.Encode("createStream", 2, null);
        RtmpServerCommandReader.TryRead(connect, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        RtmpServerCommandReader.TryRead(createStream, out _);
        var createStreamBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        RtmpServerCommandReader.TryRead(connect, out _);
        RtmpServerCommandReader.TryRead(play, out _);
        var strings = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, createStreamBytes);
        // "live", "rtmp://127.0.0.1:1935/live" and "cam": about 150 bytes; the decoded trees were about 2.5 KB.
        Assert.True(strings < 256, $"{strings} bytes");
    }

    private static byte[] Amf0Of(params Amf0Value[] values)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Amf0Writer.Write(writer, value);
        }
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] LongString(string text)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        return [0x0C, 0, 0, 0, (byte)utf8.Length, .. utf8];
    }

    private static byte[] Nested(int depth)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < depth; i++)
        {
            bytes.AddRange([0x03, 0x00, 0x01, 0x61]);
        }
        bytes.Add(0x05);
        for (var i = 0; i < depth; i++)
        {
            bytes.AddRange([0x00, 0x00, 0x09]);
        }
        return [.. bytes];
    }
}
