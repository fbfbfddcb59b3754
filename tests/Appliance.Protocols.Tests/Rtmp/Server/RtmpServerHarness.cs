using System.Buffers;
using System.IO.Pipelines;
using Appliance.Codecs.Amf0;
using Appliance.Core.Buffers;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>
/// An <see cref="RtmpServerConnection"/> over an in-memory pipe: the test writes what a client
/// sends, runs the connection, and reads back the callbacks it raised and the bytes it answered.
/// </summary>
internal sealed class RtmpServerHarness : IRtmpOutput, IDisposable
{
    // Unbounded, and a waiting read loop resumes on the thread that sent, so a test can see what one send caused.
    private static readonly PipeOptions Unbounded = new(readerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, resumeWriterThreshold: 0,
        useSynchronizationContext: false);

    private readonly Pipe _input = new(Unbounded);
    // Room for every test's replies, so that recording them allocates nothing (see the allocation test).
    private readonly List<byte> _written = new(64 * 1024);

    public RtmpServerHarness(RtmpServerOptions? options = null, IRtmpServerHandler? handler = null)
    {
        Handler = new RecordingHandler();
        Connection = new RtmpServerConnection(_input.Reader, this, handler ?? Handler, options ?? new RtmpServerOptions());
        Handler.Connection = Connection;
    }

    public RecordingHandler Handler { get; }

    public RtmpServerConnection Connection { get; }

    /// <summary>Every byte the server sent, handshake included.</summary>
    public byte[] Written
    {
        get
        {
            lock (_written)
            {
                return [.. _written];
            }
        }
    }

    void IRtmpOutput.Send(SharedBuffer chunks)
    {
        lock (_written)
        {
            _written.AddRange(chunks.Span);
        }
        chunks.Release();
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        _input.Writer.Write(bytes);
        _input.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>C0+C1 of the plain handshake and a C2 (which the server does not check).</summary>
    public byte[] SendHandshake()
    {
        var hello = new byte[RtmpHandshake.ClientHelloSize];
        RtmpHandshake.WriteClientHello(hello);
        Send(hello);
        Send(new byte[RtmpHandshake.PacketSize]);
        return hello;
    }

    /// <summary>One message in chunks of <paramref name="chunkSize"/> (the default 128 unless the test announced another).</summary>
    public void SendMessage(int chunkStream, uint timestamp, byte typeId, uint streamId, ReadOnlySpan<byte> payload,
        int chunkSize = RtmpChunkReader.DefaultChunkSize)
    {
        var bytes = new byte[RtmpChunkWriter.MaxLength(payload.Length, chunkSize, chunkStream)];
        var length = RtmpChunkWriter.Write(bytes, chunkStream, timestamp, typeId, streamId, payload, chunkSize);
        Send(bytes.AsSpan(0, length));
    }

    public void SendCommand(string name, double transactionId, Amf0Value? commandObject, params Amf0Value[] args) =>
        SendMessage(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode(name, transactionId, commandObject, args));

    public void SendConnect(string app = "live") =>
        SendCommand("connect", 1, Amf0Value.Object(Amf0Value.Prop("app", app), Amf0Value.Prop("tcUrl", $"rtmp://localhost/{app}")));

    public void SendControl(Func<byte[], int> write)
    {
        var bytes = new byte[RtmpControl.MaxControlLength];
        Send(bytes.AsSpan(0, write(bytes)));
    }

    /// <summary>User Control Ping Request with <paramref name="timestamp"/>.</summary>
    public void SendPing(uint timestamp) =>
        SendMessage(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.UserControl, 0,
            [0x00, (byte)UserControlEvent.PingRequest, (byte)(timestamp >> 24), (byte)(timestamp >> 16), (byte)(timestamp >> 8), (byte)timestamp]);

    /// <summary>The client closes its sending side: the server reads end of stream.</summary>
    public void Close() => _input.Writer.Complete();

    /// <summary>Closes the client's side and runs the connection over what was sent; returns why it ended.</summary>
    public Task<string> RunToEndAsync()
    {
        Close();
        return Connection.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The messages the server sent after its handshake response, read at <paramref name="chunkSize"/>
    /// until a Set Chunk Size from the server changes it.
    /// </summary>
    public List<ReadMessage> Replies(int chunkSize = RtmpChunkReader.DefaultChunkSize)
    {
        var written = Written;
        var chunks = new RtmpChunkReader { ChunkSize = chunkSize };
        var messages = new List<ReadMessage>();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(written.AsMemory(Math.Min(written.Length, RtmpHandshake.ServerResponseSize))));
        while (chunks.TryReadMessage(ref reader, out var message))
        {
            var copy = ReadMessage.Take(message);
            if (copy.TypeId == RtmpMessageType.SetChunkSize)
            {
                chunks.ChunkSize = RtmpControl.ReadSetChunkSize(copy.Payload);
            }
            messages.Add(copy);
        }
        Assert.Equal(0, reader.Remaining);
        return messages;
    }

    /// <summary>The command replies (type 20) the server sent, decoded.</summary>
    public List<RtmpCommandMessage> CommandReplies() =>
        Replies().Where(m => m.TypeId == RtmpMessageType.CommandAmf0).Select(m => RtmpCommand.Decode(m.Payload)).ToList();

    public void Dispose() => Connection.Dispose();
}
