using System.Net;
using System.Net.Sockets;
using System.IO.Pipelines;
using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpClientTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public async Task ConnectsPlaysAndReceivesVideo()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var video = Hex.Pattern(5000, seed: 6);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            var (connect, _) = await server.ExpectCommandAsync("connect", ct);
            Assert.Equal(1, connect.TransactionId);
            Assert.Equal("live", connect.CommandObject!.GetString("app"));
            Assert.Equal("rtmp://127.0.0.1:1935/live", connect.CommandObject.GetString("tcUrl"));
            Assert.Equal("LNX 9,0,124,2", connect.CommandObject.GetString("flashVer"));
            Assert.True(connect.CommandObject["fpad"] is { Kind: Amf0Kind.Boolean, Boolean: false });
            Assert.Equal(15, connect.CommandObject.GetNumber("capabilities"));
            Assert.Equal(3191, connect.CommandObject.GetNumber("audioCodecs"));
            Assert.Equal(252, connect.CommandObject.GetNumber("videoCodecs"));
            Assert.Equal(1, connect.CommandObject.GetNumber("videoFunction"));
            await server.SendControlAsync(d => RtmpControl.WriteWindowAckSize(d, 1000), ct);
            await server.SetChunkSizeAsync(4000, ct);
            await server.SendCommandAsync(0, "_result", 1, null, ct,
                Amf0Value.Object(Amf0Value.Prop("code", "NetConnection.Connect.Success")));

            var windowAck = await server.ReadAsync(ct);
            Assert.Equal(RtmpMessageType.WindowAckSize, windowAck.TypeId);
            var chunkSize = await server.ReadAsync(ct);
            Assert.Equal(Hex.Bytes("00001000"), chunkSize.Payload);

            await server.AcceptCreateStreamAsync(ct);
            var (play, playMessage) = await server.ExpectCommandAsync("play", ct);
            Assert.Equal(1u, playMessage.StreamId);
            Assert.Equal("cam", play.FirstArgument!.String);
            var bufferLength = await server.ReadAsync(ct);
            Assert.Equal(Hex.Bytes("0003 00000001 000003E8"), bufferLength.Payload);

            await server.SendControlAsync(d => RtmpControl.WriteUserControl(d, UserControlEvent.StreamBegin, 1), ct);
            await server.SendStatusAsync(1, "status", "NetStream.Play.Reset", "reset", ct);
            await server.SendStatusAsync(1, "status", "NetStream.Play.Start", "Start live", ct);
            await server.SendControlAsync(d => RtmpControl.WriteUserControl(d, UserControlEvent.PingRequest, 0xABCD), ct);
            await server.SendAsync(6, 40, RtmpMessageType.Video, 1, video, ct);

            var pong = await server.ReadAsync(ct);
            Assert.Equal(Hex.Bytes("0007 0000ABCD"), pong.Payload);
            // 5000 bytes of video passed the window of 1000: the client acknowledges.
            var ack = await server.ReadAsync(ct);
            Assert.Equal(RtmpMessageType.Acknowledgement, ack.TypeId);

            await server.SendControlAsync(d => RtmpControl.WriteUserControl(d, UserControlEvent.StreamEof, 1), ct);
            await server.SendStatusAsync(1, "status", "NetStream.Play.UnpublishNotify", "gone", ct);
            await server.CloseAsync();
        });

        await using var client = await RtmpClient.ConnectAsync(clientStream, "live", "rtmp://127.0.0.1:1935/live", ct);
        await client.PlayAsync("cam", ct);
        Assert.Equal("NetStream.Play.Start", client.LastStatusCode);
        var statuses = new List<string>();
        client.StatusReceived += statuses.Add;

        var media = await client.ReadMediaAsync(ct);
        var received = ReadMessage.Take(media!.Value);
        Assert.Equal(RtmpMessageType.Video, received.TypeId);
        Assert.Equal(40u, received.Timestamp);
        Assert.Equal(1u, received.StreamId);
        Assert.Equal(video, received.Payload);
        Assert.False(client.StreamEofReceived);

        Assert.Null(await client.ReadMediaAsync(ct));
        Assert.True(client.StreamEofReceived);
        Assert.Equal("NetStream.Play.UnpublishNotify", client.LastStatusCode);
        Assert.Equal(["NetStream.Play.UnpublishNotify"], statuses);
        Assert.True(client.BytesReceived > 5000 + 3073);
        await serverScript;
    }

    [Fact]
    public async Task StreamNotFoundSurfacesAsRtmpStatusException()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            await server.AcceptConnectAsync(ct);
            await server.AcceptCreateStreamAsync(ct);
            await server.ExpectCommandAsync("play", ct);
            await server.SendStatusAsync(1, "error", "NetStream.Play.StreamNotFound", "No such stream", ct);
        });

        await using var client = await RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct);
        var e = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PlayAsync("missing", ct));

        Assert.Equal("NetStream.Play.StreamNotFound: No such stream", e.Message);
        await serverScript;
    }

    [Fact]
    public async Task ConnectErrorCarriesTheServersDescription()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            var (connect, _) = await server.ExpectCommandAsync("connect", ct);
            await server.SendCommandAsync(0, "_error", connect.TransactionId, null, ct, Amf0Value.Object(
                Amf0Value.Prop("level", "error"), Amf0Value.Prop("code", "NetConnection.Connect.Rejected"),
                Amf0Value.Prop("description", "Unknown application")));
            Assert.True(await server.IsClosedAsync(ct));
        });

        var e = await Assert.ThrowsAsync<RtmpProtocolException>(
            () => RtmpClient.ConnectAsync(clientStream, "nope", "rtmp://h/nope", ct));

        Assert.Contains("Unknown application", e.Message);
        await serverScript;
    }

    [Fact]
    public async Task PublishesAndSendsMediaInChunks()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var frame = Hex.Pattern(10_000, seed: 3);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            await server.AcceptConnectAsync(ct);
            var (release, _) = await server.ExpectCommandAsync("releaseStream", ct);
            Assert.Equal("cam", release.FirstArgument!.String);
            var (fcPublish, _) = await server.ExpectCommandAsync("FCPublish", ct);
            Assert.Equal("cam", fcPublish.FirstArgument!.String);
            await server.AcceptCreateStreamAsync(ct);
            var (publish, publishMessage) = await server.ExpectCommandAsync("publish", ct);
            Assert.Equal(1u, publishMessage.StreamId);
            Assert.Equal(["cam", "live"], publish.Arguments.Select(a => a.String));
            await server.SendStatusAsync(1, "status", "NetStream.Publish.Start", "publishing", ct);

            var media = await server.ReadAsync(ct);
            Assert.Equal(RtmpMessageType.Video, media.TypeId);
            Assert.Equal(0x01000000u, media.Timestamp);
            Assert.Equal(1u, media.StreamId);
            Assert.Equal(frame, media.Payload);
            var audio = await server.ReadAsync(ct);
            Assert.Equal((RtmpMessageType.Audio, 33u), (audio.TypeId, audio.Timestamp));
        });

        await using var client = await RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct);
        await client.PublishAsync("cam", ct);
        await client.SendMediaAsync(RtmpMessageType.Video, 0x01000000, frame, ct);
        await client.SendMediaAsync(RtmpMessageType.Audio, 33, new byte[] { 0xAF, 0x01 }, ct);

        Assert.Equal("NetStream.Publish.Start", client.LastStatusCode);
        await serverScript;
    }

    [Fact]
    public async Task PublishRefusedSurfacesAsRtmpStatusException()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            await server.AcceptConnectAsync(ct);
            await server.ExpectCommandAsync("releaseStream", ct);
            await server.ExpectCommandAsync("FCPublish", ct);
            await server.AcceptCreateStreamAsync(ct);
            await server.ExpectCommandAsync("publish", ct);
            await server.SendStatusAsync(1, "error", "NetStream.Publish.BadName", "Already publishing", ct);
        });

        await using var client = await RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct);
        var e = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync("cam", ct));

        Assert.StartsWith("NetStream.Publish.BadName", e.Message, StringComparison.Ordinal);
        await serverScript;
    }

    [Fact]
    public async Task MediaBeforePlayStartIsKeptForReadMedia()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            await server.AcceptConnectAsync(ct);
            await server.AcceptCreateStreamAsync(ct);
            await server.ExpectCommandAsync("play", ct);
            await server.SendAsync(5, 0, RtmpMessageType.DataAmf0, 1, RtmpCommand.Encode("|RtmpSampleAccess", 0, null), ct);
            await server.SendStatusAsync(1, "status", "NetStream.Play.Start", "Start", ct);
            await server.SendAsync(4, 10, RtmpMessageType.Audio, 1, [0xAF, 0x00], ct);
            await server.CloseAsync();
        });

        await using var client = await RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct);
        await client.PlayAsync("cam", ct);

        var first = ReadMessage.Take((await client.ReadMediaAsync(ct))!.Value);
        var second = ReadMessage.Take((await client.ReadMediaAsync(ct))!.Value);
        Assert.Equal(RtmpMessageType.DataAmf0, first.TypeId);
        Assert.Equal((RtmpMessageType.Audio, 10u), (second.TypeId, second.Timestamp));
        Assert.Null(await client.ReadMediaAsync(ct));
        await serverScript;
    }

    [Fact]
    public async Task ServerWithWrongVersionFailsTheHandshake()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await serverPipe.Input.ReadAtLeastAsync(RtmpHandshake.ClientHelloSize, ct);
            var response = new byte[RtmpHandshake.ServerResponseSize];
            response[0] = 6;
            await serverPipe.Output.WriteAsync(response, ct);
        });

        await Assert.ThrowsAsync<RtmpHandshakeException>(() => RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct));
        await serverScript;
    }

    [Fact]
    public async Task ServerClosingDuringTheHandshakeFailsIt()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await serverPipe.Input.ReadAtLeastAsync(RtmpHandshake.ClientHelloSize, ct);
            await serverPipe.Output.WriteAsync(new byte[] { 3, 0, 0 }, ct);
            await serverPipe.Output.CompleteAsync();
        });

        await Assert.ThrowsAsync<RtmpHandshakeException>(() => RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct));
        await serverScript;
    }

    [Fact]
    public async Task MalformedChunkStreamFromTheServerIsAProtocolError()
    {
        var ct = Deadline();
        var (clientStream, serverPipe) = DuplexStream.CreatePair();
        var server = new ScriptedRtmpServer(serverPipe);
        var serverScript = server.RunAsync(async () =>
        {
            await server.HandshakeAsync(ct);
            await server.ExpectCommandAsync("connect", ct);
            await serverPipe.Output.WriteAsync(Hex.Bytes("C9 00"), ct);   // fmt 3 on a chunk stream never seen
        });

        await Assert.ThrowsAsync<RtmpProtocolException>(() => RtmpClient.ConnectAsync(clientStream, "live", "rtmp://h/live", ct));
        await serverScript;
    }

    [Fact]
    public async Task ConnectsOverLoopbackTcp()
    {
        var ct = Deadline();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string? tcUrl = null;
        var serverScript = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(ct);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var server = new ScriptedRtmpServer(new StreamDuplexPipe(stream));
            await server.HandshakeAsync(ct);
            var (connect, _) = await server.ExpectCommandAsync("connect", ct);
            tcUrl = connect.CommandObject!.GetString("tcUrl");
            await server.SendCommandAsync(0, "_result", connect.TransactionId, null, ct,
                Amf0Value.Object(Amf0Value.Prop("code", "NetConnection.Connect.Success")));
            Assert.True(await server.IsClosedAsync(ct) || await server.IsClosedAsync(ct) || await server.IsClosedAsync(ct));
        }, ct);

        // The client takes any duplex stream; here a real TCP one, as the transport's connector gives.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        var client = await RtmpClient.ConnectAsync(new NetworkStream(socket, ownsSocket: true), "live", $"rtmp://127.0.0.1:{port}/live", ct);
        await client.DisposeAsync();
        await client.DisposeAsync();   // twice is harmless

        await serverScript;
        Assert.Equal($"rtmp://127.0.0.1:{port}/live", tcUrl);
    }

    private sealed class StreamDuplexPipe(Stream stream) : IDuplexPipe
    {
        public PipeReader Input { get; } = PipeReader.Create(stream);
        public PipeWriter Output { get; } = PipeWriter.Create(stream);
    }
}
