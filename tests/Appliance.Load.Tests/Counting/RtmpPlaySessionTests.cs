using System.Buffers;
using Appliance.Codecs.Amf0;
using Appliance.Load.Targets;
using Appliance.Load.Viewers;
using Appliance.Load.Viewers.Counting;
using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Tests.Counting;

/// <summary>
/// The counting RTMP player's conversation, played against a scripted server: what it sends at
/// each step, what it counts once playing, and how a refusal or a malformed message ends it.
/// </summary>
public class RtmpPlaySessionTests
{
    [Fact]
    public void ConnectsCreatesAStreamPlaysAndCountsMedia()
    {
        var (session, stats) = NewSession();
        var s1 = Enumerable.Range(0, RtmpHandshake.PacketSize).Select(i => (byte)i).ToArray();

        session.Start(s1);
        Assert.Equal(s1, session.Outgoing[..RtmpHandshake.PacketSize].ToArray());
        var connect = Assert.Single(Sent(session, skip: RtmpHandshake.PacketSize));
        Assert.Equal("connect 1", connect.ToString());
        Assert.Equal("live", connect.Command!.CommandObject!.GetString("app"));
        Assert.Equal("rtmp://127.0.0.1:1935/live", connect.Command.CommandObject.GetString("tcUrl"));

        session.Consume(new RtmpBytes()
            .Raw(WindowAck(2_500_000))
            .SetChunkSize(4096)
            .Message(3, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("_result", 1, Amf0Value.Object(Amf0Value.Prop("fmsVer", "FMS/3,0,1,123")),
                Amf0Value.Object(Amf0Value.Prop("code", "NetConnection.Connect.Success"))))
            .ToArray());
        Assert.Equal(new[] { "type 5", "type 1", "createStream 2" }, Sent(session).Select(m => m.ToString()));

        session.Consume(new RtmpBytes().Message(3, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("_result", 2, null, Amf0Value.FromNumber(1))).ToArray());
        var play = Sent(session);
        Assert.Equal(new[] { "play 3", "type 4" }, play.Select(m => m.ToString()));
        Assert.Equal(8, play[0].ChunkStreamId);
        Assert.Equal(1u, play[0].StreamId);
        Assert.Equal("cam?token=x", play[0].Command!.FirstArgument!.String);
        Assert.False(session.Playing);

        session.Consume(Status(4096, "status", "NetStream.Play.Start"));
        Assert.True(session.Playing);
        Assert.Equal(ViewerState.Playing, stats.State);

        session.Consume(new RtmpBytes().SetChunkSize(4096)
            .Message(6, 0, RtmpMessageType.Video, 1, RtmpBytes.Video(key: true, sequenceHeader: true, 30))
            .Message(6, 0, RtmpMessageType.Video, 1, RtmpBytes.Video(key: true, sequenceHeader: false, 9000))
            .Message(4, 0, RtmpMessageType.Audio, 1, RtmpBytes.Audio(300))
            .Message(6, 40, RtmpMessageType.Video, 1, RtmpBytes.Video(key: false, sequenceHeader: false, 2000))
            .ToArray());
        Assert.Equal((2L, 1L), (session.VideoFrames, session.KeyFrames));
        Assert.Equal(2, stats.VideoFrames);
        Assert.True(stats.FirstKeyFrameMs >= 0);
        // Timed from the play command, which went out after the connect and createStream answers.
        Assert.InRange(stats.FirstKeyFrameAfterRequestMs, 0, stats.FirstKeyFrameMs);
        Assert.Equal(RtmpHandshake.ServerResponseSize + session.Bytes, stats.Bytes);
    }

    [Fact]
    public void AnswersPingsAndAcknowledgesEachWindow()
    {
        var session = Playing(windowAckSize: 10_000);
        Assert.True(session.Outgoing.IsEmpty);

        session.Consume(new RtmpBytes().SetChunkSize(4096).Raw(UserControl(UserControlEvent.PingRequest, 1234)).ToArray());
        var ping = Assert.Single(Sent(session));
        Assert.Equal(RtmpMessageType.UserControl, ping.TypeId);
        Assert.Equal(UserControlEvent.PingResponse, RtmpControl.ReadUserControl(ping.Payload, out var value));
        Assert.Equal(1234u, value);

        session.Consume(new RtmpBytes().SetChunkSize(4096).Message(6, 0, RtmpMessageType.Video, 1, RtmpBytes.Video(key: false, sequenceHeader: false, 12_000)).ToArray());
        var ack = Assert.Single(Sent(session));
        Assert.Equal(RtmpMessageType.Acknowledgement, ack.TypeId);
        Assert.Equal((uint)session.Bytes, RtmpControl.ReadUInt32(ack.Payload, "ack"));
    }

    [Fact]
    public void StreamEofIsNotedAndStreamBeginClearsIt()
    {
        var session = Playing(windowAckSize: 0);

        session.Consume(UserControl(UserControlEvent.StreamEof, 1));
        Assert.True(session.StreamEofReceived);
        session.Consume(UserControl(UserControlEvent.StreamBegin, 1));
        Assert.False(session.StreamEofReceived);
    }

    [Fact]
    public void ARefusedConnectSaysWhatTheServerSaid()
    {
        var (session, _) = NewSession();
        session.Start(new byte[RtmpHandshake.PacketSize]);

        var e = Assert.Throws<RtmpProtocolException>(() => session.Consume(new RtmpBytes().Message(3, 0, RtmpMessageType.CommandAmf0, 0,
            RtmpCommand.Encode("_error", 1, null, Amf0Value.Object(Amf0Value.Prop("code", "NetConnection.Connect.Rejected"), Amf0Value.Prop("description", "no such app")))).ToArray()));
        Assert.Equal("The server refused: no such app (transaction 1).", e.Message);
    }

    [Fact]
    public void ARefusedPlayThrowsItsStatus()
    {
        var session = AtPlay();

        var e = Assert.Throws<RtmpStatusException>(() => session.Consume(Status(4096, "error", "NetStream.Play.StreamNotFound")));
        Assert.Contains("NetStream.Play.StreamNotFound", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACreateStreamAnswerWithoutAStreamIdIsRefused()
    {
        var (session, _) = NewSession();
        session.Start(new byte[RtmpHandshake.PacketSize]);
        session.Consume(new RtmpBytes().Message(3, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("_result", 1, null)).ToArray());

        var e = Assert.Throws<RtmpProtocolException>(() => session.Consume(new RtmpBytes().Message(3, 0, RtmpMessageType.CommandAmf0, 0,
            RtmpCommand.Encode("_result", 2, null, Amf0Value.FromString("one"))).ToArray()));
        Assert.Equal("createStream answered without a valid stream id.", e.Message);
    }

    [Fact]
    public void AShortControlMessageIsRefused()
    {
        var session = Playing(windowAckSize: 0);

        var e = Assert.Throws<RtmpProtocolException>(() => session.Consume(new byte[] { 0x02, 0, 0, 0, 0, 0, 2, 0x04, 0, 0, 0, 0, 0, 6 }));
        Assert.Equal("User control message of 2 bytes.", e.Message);
        var window = Assert.Throws<RtmpProtocolException>(() => Playing(windowAckSize: 0).Consume(new byte[] { 0x02, 0, 0, 0, 0, 0, 1, 0x05, 0, 0, 0, 0, 9 }));
        Assert.Equal("Window Acknowledgement Size message of 1 bytes.", window.Message);
    }

    private static (RtmpPlaySession, ViewerStats) NewSession()
    {
        Assert.True(StreamUrl.TryParse("rtmp://127.0.0.1:1935/live/cam?token=x", out var url, out _));
        var stats = new ViewerStats(0, StreamProtocol.Rtmp);
        stats.OnStart();
        return (new RtmpPlaySession(url, stats), stats);
    }

    /// <summary>A session that has sent play and waits for its status (chunk size 4096 from the server).</summary>
    private static RtmpPlaySession AtPlay(uint windowAckSize = 0)
    {
        var (session, _) = NewSession();
        session.Start(new byte[RtmpHandshake.PacketSize]);
        var setup = new RtmpBytes();
        if (windowAckSize > 0)
        {
            setup.Raw(WindowAck(windowAckSize));
        }
        session.Consume(setup.SetChunkSize(4096)
            .Message(3, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("_result", 1, null))
            .Message(3, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("_result", 2, null, Amf0Value.FromNumber(1)))
            .ToArray());
        session.Sent();
        return session;
    }

    private static RtmpPlaySession Playing(uint windowAckSize)
    {
        var session = AtPlay(windowAckSize);
        session.Consume(Status(4096, "status", "NetStream.Play.Start"));
        if (!session.Outgoing.IsEmpty)
        {
            session.Sent();
        }
        Assert.True(session.Playing);
        return session;
    }

    private static byte[] Status(int chunkSize, string level, string code) =>
        new RtmpBytes().At(chunkSize).Message(5, 0, RtmpMessageType.CommandAmf0, 1, StatusPayload(level, code)).ToArray();

    private static byte[] StatusPayload(string level, string code) => RtmpCommand.Encode("onStatus", 0, null,
        Amf0Value.Object(Amf0Value.Prop("level", level), Amf0Value.Prop("code", code), Amf0Value.Prop("description", "test")));

    private static byte[] WindowAck(uint size)
    {
        var buffer = new byte[RtmpControl.MaxControlLength];
        return buffer[..RtmpControl.WriteWindowAckSize(buffer, size)];
    }

    private static byte[] UserControl(ushort eventType, uint value)
    {
        var buffer = new byte[RtmpControl.MaxControlLength];
        return buffer[..RtmpControl.WriteUserControl(buffer, eventType, value)];
    }

    /// <summary>What the session has queued to send, read back as messages; then marked sent.</summary>
    private static List<SentMessage> Sent(RtmpPlaySession session, int skip = 0)
    {
        var bytes = session.Outgoing[skip..].ToArray();
        session.Sent();
        var reader = new RtmpChunkReader();
        var messages = new List<SentMessage>();
        var sequence = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        while (reader.TryReadMessage(ref sequence, out var message))
        {
            var payload = message.Payload.Span.ToArray();
            message.Payload.Release();
            if (message.TypeId == RtmpMessageType.SetChunkSize)
            {
                reader.ChunkSize = RtmpControl.ReadSetChunkSize(payload);
            }
            var command = message.TypeId == RtmpMessageType.CommandAmf0 ? RtmpCommand.Decode(payload) : null;
            messages.Add(new SentMessage(message.TypeId, message.ChunkStreamId, message.StreamId, payload, command));
        }
        Assert.True(sequence.End, "the session sent a partial message");
        return messages;
    }

    private sealed record SentMessage(byte TypeId, int ChunkStreamId, uint StreamId, byte[] Payload, RtmpCommandMessage? Command)
    {
        public override string ToString() => Command is { } c ? $"{c.Name} {c.TransactionId}" : $"type {TypeId}";
    }
}
