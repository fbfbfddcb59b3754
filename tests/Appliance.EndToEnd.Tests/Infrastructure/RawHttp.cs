using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Appliance.Protocols.Http;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>Raw HTTP/1.1 over a socket, so tests see exactly what the server sends.</summary>
public static class RawHttp
{
    public static async Task<(TcpClient Tcp, PipeReader Input, HttpResponseHead Head)> GetAsync(int port, string path, CancellationToken ct, string method = "GET")
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: e2e\r\n\r\n"), ct);
        var input = PipeReader.Create(stream);
        var head = await ReadHeadAsync(input, ct);
        return (tcp, input, head);
    }

    public static async Task<HttpResponseHead> ReadHeadAsync(PipeReader input, CancellationToken ct)
    {
        while (true)
        {
            var result = await input.ReadAsync(ct);
            var reader = new SequenceReader<byte>(result.Buffer);
            var status = HttpResponseParser.TryParse(ref reader, out var head);
            if (status == HttpParseStatus.Complete)
            {
                input.AdvanceTo(reader.Position);
                return head!;
            }
            if (status == HttpParseStatus.Error)
            {
                throw new InvalidOperationException("malformed HTTP response head");
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("connection closed before a response head");
            }
        }
    }

    /// <summary>Sends raw bytes and returns everything the server sends back until it closes (bounded by a deadline).</summary>
    public static async Task<string> ExchangeAsync(int port, byte[] request, TimeSpan timeout)
    {
        using var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        await tcp.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, cts.Token);
        }
        catch (IOException)
        {
            // The server may close before reading everything we send; what it answered still counts.
        }
        var response = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                response.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
        }
        return Encoding.ASCII.GetString(response.ToArray());
    }
}
