using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>What breaks the protocol ends the connection with an exception naming it, and nothing after it is raised.</summary>
public class RtmpServerRejectionTests
{
    [Theory]
    [InlineData("publish")]
    [InlineData("play")]
    public async Task PublishOrPlayBeforeConnectBreaksTheProtocol(string command)
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendCommand(command, 2, null, Amf0Value.FromString("cam"));
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal($"{command} before connect", refused.Message);
        Assert.Equal(["handshake"], server.Handler.Events);
    }

    [Fact]
    public async Task ASecondConnectBreaksTheProtocol()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendConnect();
        server.SendConnect("other");
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal("connect sent twice", refused.Message);
        Assert.Equal(["handshake", "connect live"], server.Handler.Events);
    }

    [Fact]
    public async Task AnUnknownMessageTypeBreaksTheProtocol()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendMessage(3, 0, 99, 0, [1, 2, 3]);
        server.SendMessage(6, 0, RtmpMessageType.Video, 1, [0x17]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal("unknown message type 99", refused.Message);
        Assert.Equal(["handshake"], server.Handler.Events);
    }

    [Fact]
    public async Task GarbageAmfInACommandBreaksTheProtocol()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        // A string that says 16 bytes and brings 1.
        server.SendMessage(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, [0x02, 0x00, 0x10, 0x61]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.StartsWith("Malformed command message", refused.Message);
    }

    [Fact]
    public async Task ACommandWhoseNameIsNotAStringBreaksTheProtocol()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendMessage(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, [0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal("Command name is AMF0 Number, not a string.", refused.Message);
    }

    [Fact]
    public async Task AMessageLargerThanTheLimitIsRefusedFromItsHeader()
    {
        using var server = new RtmpServerHarness(new RtmpServerOptions { MaxMessageBytes = 65536 });
        server.SendHandshake();

        // fmt 0 on chunk stream 3: timestamp 0, length 100000, video, stream 1; then one chunk of it.
        server.Send([0x03, 0, 0, 0, 0x01, 0x86, 0xA0, 0x09, 1, 0, 0, 0, .. new byte[128]]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Contains("Message of 100000 bytes on chunk stream 3 exceeds the limit of 65536", refused.Message);
        Assert.Equal(["handshake"], server.Handler.Events);
    }

    [Theory]
    [InlineData(RtmpMessageType.WindowAckSize, "window acknowledgement size message of 2 bytes.")]
    [InlineData(RtmpMessageType.Abort, "abort message of 2 bytes.")]
    [InlineData(RtmpMessageType.SetChunkSize, "Set Chunk Size message of 2 bytes.")]
    [InlineData(RtmpMessageType.UserControl, "User control message of 2 bytes.")]
    public async Task AShortControlMessageBreaksTheProtocol(byte type, string reason)
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendMessage(RtmpControl.ControlChunkStreamId, 0, type, 0, [0, 1]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal(reason, refused.Message);
    }

    [Fact]
    public async Task AChunkSizeOfZeroBreaksTheProtocol()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendMessage(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.SetChunkSize, 0, [0, 0, 0, 0]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal("Invalid chunk size 0.", refused.Message);
    }

    [Fact]
    public async Task AProtocolErrorFromTheHandlerEndsTheConnection()
    {
        var handler = new ThrowingMediaHandler();
        using var server = new RtmpServerHarness(handler: handler);
        server.SendHandshake();

        server.SendMessage(6, 0, RtmpMessageType.Video, 1, [0x17]);
        server.SendMessage(6, 40, RtmpMessageType.Video, 1, [0x27]);
        var refused = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal("bad media", refused.Message);
        Assert.Equal(1, handler.MediaSeen);
    }

    private sealed class ThrowingMediaHandler : IRtmpServerHandler
    {
        public int MediaSeen { get; private set; }

        public void OnBytesReceived(long count)
        {
        }

        public void OnHandshakeCompleted()
        {
        }

        public ValueTask<string?> OnConnectAsync(RtmpConnectRequest request) => default;

        public ValueTask<string?> OnPublishAsync(RtmpPublishRequest request) => default;

        public ValueTask<string?> OnPlayAsync(RtmpPlayRequest request) => default;

        public void OnPause(bool paused, double milliseconds)
        {
        }

        public void OnFCUnpublish(string? streamName)
        {
        }

        public void OnDeleteStream(string command)
        {
        }

        public void OnMedia(in RtmpMessage message)
        {
            MediaSeen++;
            throw new RtmpProtocolException("bad media");
        }

        public void OnIgnored(string what)
        {
        }
    }
}
