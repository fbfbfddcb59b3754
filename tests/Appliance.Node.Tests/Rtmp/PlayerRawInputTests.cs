using System.Buffers.Binary;
using Appliance.Codecs.Amf0;
using Appliance.Node.Tests.Support;
using Appliance.Protocols.Rtmp;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Rtmp;

/// <summary>
/// A player's connection, once it plays, is read without its pipe where the transport allows it:
/// what the player sends after that (pings, acknowledgements, closeStream, garbage) is read and
/// answered as before, whether it arrives whole, cut into pieces or together with the play.
/// </summary>
public class PlayerRawInputTests
{
    private static readonly byte[] PingRequest = [0x00, 0x06, 0x00, 0x00, 0x00, 0x2A];

    [Fact]
    public async Task A_player_is_read_without_its_pipe_once_it_plays_and_its_pings_are_answered()
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run, peer) = await PlayWithoutPipeAsync(server, ct);

        await SendPingAsync(peer, ct);

        Assert.True(connection.RawInput!.Waits > 0);
        Assert.False(run.IsCompleted);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("proto=rtmp-play"), server.Logs.Dump());
        Assert.True(server.Logs.Contains("reason=\"peer closed\""), server.Logs.Dump());
    }

    [Fact]
    public async Task A_message_cut_into_single_bytes_is_put_back_together()
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run, peer) = await PlayWithoutPipeAsync(server, ct);

        var bytes = Chunked(RtmpControl.ControlChunkStreamId, RtmpMessageType.UserControl, PingRequest);
        var raw = connection.RawInput!;
        var before = raw.Received;
        for (var i = 0; i < bytes.Length; i++)
        {
            await connection.SendAsync(bytes.AsMemory(i, 1));
            // Each byte waits for the server to take it: the next one arrives in a read of its own.
            var sent = before + i + 1;
            await Eventually.WaitAsync(() => raw.Received >= sent, "the byte received");
        }
        var pong = await peer.ReadUntilAsync(m => m.TypeId == RtmpMessageType.UserControl && m.Payload[1] == 7, "the ping response", ct);

        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(pong.Payload.AsSpan(2)));
        Assert.False(run.IsCompleted);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task What_the_player_sent_with_its_play_is_read_after_the_switch()
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = await CreateStreamAsync(connection, ct);

        // play and a ping in one write, the ping's last byte held back: the switch must carry the
        // rest of the ping over from the pipe, and the last byte completes it.
        var play = Chunked(8, RtmpMessageType.CommandAmf0, RtmpCommand.Encode("play", 3, null, Amf0Value.FromString("cam")), streamId: 1);
        var ping = Chunked(RtmpControl.ControlChunkStreamId, RtmpMessageType.UserControl, PingRequest);
        await connection.SendAsync((byte[])[.. play, .. ping.AsSpan(0, ping.Length - 1)]);
        await Eventually.WaitAsync(() => connection.RawInput is not null, "the pipe given up for the raw input");
        await connection.SendAsync(ping.AsMemory(ping.Length - 1));
        var pong = await peer.ReadUntilAsync(m => m.TypeId == RtmpMessageType.UserControl && m.Payload[1] == 7, "the ping response", ct);

        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(pong.Payload.AsSpan(2)));
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task CloseStream_after_the_switch_stops_playing()
    {
        using var server = new TestServer();
        var (stream, _) = server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run, peer) = await PlayWithoutPipeAsync(server, ct);
        Assert.Equal(1, stream.ViewerCount);

        await peer.SendMessageAsync(8, 0, RtmpMessageType.CommandAmf0, 1, RtmpCommand.Encode("closeStream", 0, null));

        await Eventually.WaitAsync(() => stream.ViewerCount == 0, "the player unsubscribed");
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task A_message_larger_than_one_receive_is_put_together_after_the_switch()
    {
        using var server = new TestServer();
        var (stream, _) = server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run, _) = await PlayWithoutPipeAsync(server, ct);

        // One 40,000-byte chunk (chunk size raised first): it arrives over several receives and
        // waits, growing, until it is whole.
        const int bigChunks = 65536;
        byte[] chunkSize = [0, 1, 0, 0];
        await connection.SendAsync(Chunked(RtmpControl.ControlChunkStreamId, RtmpMessageType.SetChunkSize, chunkSize));
        var closeStream = RtmpCommand.Encode("closeStream", 0, null, Amf0Value.FromString(new string('x', 40_000)));
        var bytes = Chunked(8, RtmpMessageType.CommandAmf0, closeStream, streamId: 1, chunkSize: bigChunks);
        for (var sent = 0; sent < bytes.Length; sent += 3000)
        {
            await connection.SendAsync(bytes.AsMemory(sent, Math.Min(3000, bytes.Length - sent)));
        }

        await Eventually.WaitAsync(() => stream.ViewerCount == 0, "the player unsubscribed");
        Assert.False(run.IsCompleted);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task A_message_over_the_limit_after_the_switch_ends_that_connection_before_it_arrives()
    {
        using var server = new TestServer(config => config.Rtmp.MaxMessageBytes = 65536);
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run, _) = await PlayWithoutPipeAsync(server, ct);

        // fmt 0 on chunk stream 3: timestamp 0, length 100000, a command on stream 1; then one chunk of it.
        byte[] header = [0x03, 0, 0, 0, 0x01, 0x86, 0xA0, RtmpMessageType.CommandAmf0, 1, 0, 0, 0];
        await connection.SendAsync((byte[])[.. header, .. new byte[128]]);

        await run.WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("Message of 100000 bytes on chunk stream 3 exceeds the limit of 65536"), server.Logs.Dump());
    }

    [Fact]
    public async Task Garbage_after_the_switch_ends_that_connection_with_a_log_line()
    {
        using var server = new TestServer();
        var (stream, _) = server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run, _) = await PlayWithoutPipeAsync(server, ct);
        var (otherConnection, otherRun, other) = await PlayWithoutPipeAsync(server, ct);

        // A type-3 header on a chunk stream never opened: nothing to continue.
        await connection.SendAsync(new byte[] { 0xC9, 0x01, 0x02, 0x03 });

        await run.WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("closing rtmp connection from 127.0.0.1:40000: Chunk format 3 on chunk stream 9 without a previous header."), server.Logs.Dump());
        Assert.Equal(1, stream.ViewerCount);
        await SendPingAsync(other, ct);
        Assert.False(otherRun.IsCompleted);
        otherConnection.CloseInput();
        await otherRun.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task Over_a_transport_without_raw_input_the_player_keeps_its_pipe()
    {
        using var server = new TestServer();
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp(rawInput: false);
        var peer = await PlayAsync(connection, ct);

        await SendPingAsync(peer, ct);

        Assert.Null(connection.RawInput);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("reason=\"peer closed\""), server.Logs.Dump());
    }

    private static Task<RawRtmpPeer> CreateStreamAsync(PipeConnection connection, CancellationToken ct) =>
        RawRtmpPeer.WithStreamAsync(connection, "live", ct);

    private static async Task<(PipeConnection Connection, Task Run, RawRtmpPeer Peer)> PlayWithoutPipeAsync(TestServer server, CancellationToken ct)
    {
        var (connection, run) = server.StartRtmp();
        var peer = await PlayAsync(connection, ct);
        await Eventually.WaitAsync(() => connection.RawInput is not null, "the pipe given up for the raw input");
        return (connection, run, peer);
    }

    private static async Task<RawRtmpPeer> PlayAsync(PipeConnection connection, CancellationToken ct)
    {
        var peer = await CreateStreamAsync(connection, ct);
        await peer.SendMessageAsync(8, 0, RtmpMessageType.CommandAmf0, 1, RtmpCommand.Encode("play", 3, null, Amf0Value.FromString("cam")));
        await peer.ReadUntilAsync(m => m.TypeId == RtmpMessageType.Video, "the first video", ct);
        return peer;
    }

    private static async Task SendPingAsync(RawRtmpPeer peer, CancellationToken ct)
    {
        await peer.SendMessageAsync(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.UserControl, 0, PingRequest);
        var pong = await peer.ReadUntilAsync(m => m.TypeId == RtmpMessageType.UserControl && m.Payload[1] == 7, "the ping response", ct);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(pong.Payload.AsSpan(2)));
    }

    private static byte[] Chunked(int chunkStream, byte typeId, ReadOnlySpan<byte> payload, uint streamId = 0, int chunkSize = RtmpChunkReader.DefaultChunkSize)
    {
        var bytes = new byte[RtmpChunkWriter.MaxLength(payload.Length, chunkSize, chunkStream)];
        var length = RtmpChunkWriter.Write(bytes, chunkStream, 0, typeId, streamId, payload, chunkSize);
        return bytes[..length];
    }
}
