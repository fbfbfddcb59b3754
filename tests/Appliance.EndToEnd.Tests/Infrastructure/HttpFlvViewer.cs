using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Appliance.Codecs.Flv;
using Appliance.Protocols.Http;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A minimal HTTP-FLV player: GET, check the response head, then FLV tags.</summary>
public sealed class HttpFlvViewer : IMediaSource
{
    private readonly TcpClient _tcp;
    private readonly PipeReader _input;
    private readonly FlvStreamReader _flv = new();

    private HttpFlvViewer(TcpClient tcp, PipeReader input, HttpResponseHead head)
    {
        _tcp = tcp;
        _input = input;
        Head = head;
    }

    public HttpResponseHead Head { get; }

    /// <summary>The viewer's own port, as the daemon's access log names it.</summary>
    public int LocalPort => ((System.Net.IPEndPoint)_tcp.Client.LocalEndPoint!).Port;

    /// <summary>Sends bytes after the request, as a confused or hostile client would.</summary>
    public async Task SendAsync(byte[] bytes, CancellationToken ct) => await _tcp.GetStream().WriteAsync(bytes, ct);

    public static async Task<HttpFlvViewer> OpenAsync(int port, string path, CancellationToken ct)
    {
        var (tcp, input, head) = await RawHttp.GetAsync(port, path, ct);
        if (head.Status != 200)
        {
            tcp.Dispose();
            throw new HttpStatusException(head.Status);
        }
        return new HttpFlvViewer(tcp, input, head);
    }

    public async Task<MediaMessage?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _input.ReadAsync(ct);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (_flv.TryReadTag(ref reader, out var tag))
            {
                _input.AdvanceTo(reader.Position);
                try
                {
                    return new MediaMessage((byte)tag.Type, tag.Timestamp, tag.Payload.Span.ToArray());
                }
                finally
                {
                    tag.Payload.Release();
                }
            }
            _input.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        _tcp.Dispose();
    }
}

public sealed class HttpStatusException(int status) : Exception($"HTTP {status}")
{
    public int Status { get; } = status;
}
