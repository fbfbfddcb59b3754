using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Codecs.Flv;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Pull;

/// <summary>
/// An HTTP-FLV parent on loopback for one pull: it answers the first GET with 200, the FLV header,
/// both sequence headers and a keyframe, then sends the frames the test asks for until the test
/// closes it. Later connections are closed at once (the parent is gone). Counts what it wrote.
/// </summary>
internal sealed class FlvUpstreamServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<Socket> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _extraHead = "";
    private uint _keyFrameMs;
    private Task _accepting = Task.CompletedTask;
    private long _written;
    private int _requestBytes;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every byte written on the pull's connection: response head and FLV.</summary>
    public long BytesWritten => Interlocked.Read(ref _written);

    /// <summary>The length of the pull's request head.</summary>
    public int RequestBytes => Volatile.Read(ref _requestBytes);

    /// <param name="extraHead">Header lines (each ending in CRLF) added to the response head.</param>
    /// <param name="keyFrameMs">The stamp of the opening keyframe.</param>
    public static FlvUpstreamServer Start(string extraHead = "", uint keyFrameMs = 0)
    {
        var server = new FlvUpstreamServer { _extraHead = extraHead, _keyFrameMs = keyFrameMs };
        server._listener.Start();
        server._accepting = server.AcceptAsync();
        return server;
    }

    /// <summary>Inter frames every 40 ms from <paramref name="fromMs"/>.</summary>
    public async Task SendFramesAsync(uint fromMs, int count)
    {
        var socket = await _first.Task.WaitAsync(Eventually.Timeout);
        var tags = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            tags.AddRange(Tag(FlvTagType.Video, fromMs + (uint)(i * 40), Payloads.AvcInterFrame(300, (byte)i)));
        }
        await SendAsync(socket, [.. tags]);
    }

    /// <summary>Ends the pull's connection, as a parent that stops serving the stream.</summary>
    public async Task CloseAsync()
    {
        var socket = await _first.Task.WaitAsync(Eventually.Timeout);
        socket.Shutdown(SocketShutdown.Both);
        socket.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                if (_first.Task.IsCompleted)
                {
                    socket.Dispose();
                    continue;
                }
                Volatile.Write(ref _requestBytes, await ReadHeadAsync(socket));
                var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n" + _extraHead + "Connection: close\r\n\r\n");
                var file = new byte[FlvWriter.FileHeaderLength];
                FlvWriter.WriteFileHeader(file, hasAudio: true, hasVideo: true);
                await SendAsync(socket, [.. head, .. file,
                    .. Tag(FlvTagType.Video, 0, Payloads.AvcSequenceHeader()), .. Tag(FlvTagType.Audio, 0, Payloads.AacSequenceHeader()),
                    .. Tag(FlvTagType.Video, _keyFrameMs, Payloads.AvcKeyFrame(600))]);
                _first.SetResult(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task SendAsync(Socket socket, byte[] bytes)
    {
        await socket.SendAsync(bytes, SocketFlags.None, _stop.Token);
        Interlocked.Add(ref _written, bytes.Length);
    }

    private async Task<int> ReadHeadAsync(Socket socket)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(one, SocketFlags.None, _stop.Token) == 1)
        {
            head.Append((char)one[0]);
        }
        return head.Length;
    }

    private static byte[] Tag(FlvTagType type, uint timestampMs, byte[] payload)
    {
        var tag = new byte[FlvWriter.TagLength(payload.Length)];
        FlvWriter.WriteTag(tag, type, timestampMs, payload);
        return tag;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        if (_first.Task.IsCompletedSuccessfully)
        {
            _first.Task.Result.Dispose();
        }
        _stop.Dispose();
    }
}
