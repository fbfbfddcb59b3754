using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Codecs.Flv;
using Appliance.Load.Targets;
using Appliance.Load.Viewers;

namespace Appliance.Load.Tests.Counting;

/// <summary>
/// An HTTP-FLV viewer over a real loopback connection to a scripted server: the head and the body
/// in odd pieces, a chunked body, an error status, a body that is not FLV; what the viewer ends with.
/// </summary>
public class LiveViewerTests
{
    [Fact]
    public async Task CountsABodyThatArrivesInPiecesThenNotesTheClose()
    {
        var flv = Flv();
        var stats = await PlayAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close\r\n\r\n"), flv);

        Assert.Equal((ViewerState.Dropped, "the server closed the connection"), (stats.State, stats.Error));
        Assert.Equal(3, stats.VideoFrames);
        Assert.True(stats.FirstKeyFrameMs >= 0);
        Assert.InRange(stats.FirstKeyFrameAfterRequestMs, 0, stats.FirstKeyFrameMs);
        Assert.True(stats.Bytes > flv.Length);
    }

    [Fact]
    public async Task DecodesAChunkedBodyToItsEnd()
    {
        var flv = Flv();
        var body = new List<byte>();
        for (var at = 0; at < flv.Length; at += 250)
        {
            var piece = flv[at..Math.Min(flv.Length, at + 250)];
            body.AddRange(Encoding.ASCII.GetBytes($"{piece.Length:X}\r\n"));
            body.AddRange(piece);
            body.AddRange("\r\n"u8.ToArray());
        }
        body.AddRange("0\r\n\r\n"u8.ToArray());

        var stats = await PlayAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), [.. body]);

        Assert.Equal((ViewerState.Dropped, "the response body ended"), (stats.State, stats.Error));
        Assert.Equal(3, stats.VideoFrames);
    }

    [Fact]
    public async Task AnErrorStatusFailsTheViewer()
    {
        var stats = await PlayAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), []);

        Assert.Equal((ViewerState.Failed, "HTTP 404 Not Found"), (stats.State, stats.Error));
    }

    [Fact]
    public async Task ABodyThatIsNotFlvDropsTheViewerWithTheReason()
    {
        var stats = await PlayAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\n"), "<html>"u8.ToArray());

        Assert.Equal((ViewerState.Dropped, "FlvFormatException: Not an FLV stream: bad signature."), (stats.State, stats.Error));
    }

    [Fact]
    public async Task AMalformedHeadFailsTheViewer()
    {
        var stats = await PlayAsync("HTTP/1.1 abc\r\n\r\n"u8.ToArray(), []);

        Assert.Equal((ViewerState.Failed, "malformed HTTP response head"), (stats.State, stats.Error));
    }

    /// <summary>One viewer against a server that answers with <paramref name="head"/> and <paramref name="body"/> in 97-byte writes, then closes.</summary>
    private static async Task<ViewerStats> PlayAsync(byte[] head, byte[] body)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeAsync(listener, [.. head, .. body]);
        Assert.True(StreamUrl.TryParse($"http://127.0.0.1:{port}/live/cam.flv", out var url, out _));
        var stats = new ViewerStats(0, StreamProtocol.HttpFlv);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await HttpLiveViewer.RunAsync(url, url.HttpRequest, stats, deadline.Token);
        await serving;
        Assert.False(deadline.IsCancellationRequested, "the viewer did not see the end before the deadline");
        return stats;
    }

    private static async Task ServeAsync(TcpListener listener, byte[] response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        client.NoDelay = true;
        var stream = client.GetStream();
        var request = new List<byte>();
        var buffer = new byte[1024];
        while (!Encoding.ASCII.GetString(request.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            request.AddRange(buffer[..read]);
        }
        for (var at = 0; at < response.Length; at += 97)
        {
            await stream.WriteAsync(response.AsMemory(at, Math.Min(97, response.Length - at)));
            await Task.Delay(1);
        }
    }

    private static byte[] Flv()
    {
        var bytes = new List<byte>();
        var header = new byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(header, hasAudio: true, hasVideo: true);
        bytes.AddRange(header);
        void Tag(FlvTagType type, uint timestamp, byte[] payload)
        {
            var tag = new byte[FlvWriter.TagLength(payload.Length)];
            FlvWriter.WriteTag(tag, type, timestamp, payload);
            bytes.AddRange(tag);
        }
        Tag(FlvTagType.Script, 0, new byte[30]);
        Tag(FlvTagType.Video, 0, [0x17, 0x00, 0, 0, 0, 1, 2, 3]);
        Tag(FlvTagType.Video, 0, [0x17, 0x01, 0, 0, 0, .. new byte[900]]);
        Tag(FlvTagType.Audio, 10, [0xAF, 0x01, .. new byte[40]]);
        Tag(FlvTagType.Video, 40, [0x27, 0x01, 0, 0, 0, .. new byte[400]]);
        Tag(FlvTagType.Video, 80, [0x27, 0x01, 0, 0, 0]);
        return [.. bytes];
    }
}
