using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests.Support;

/// <summary>
/// A customer's auth endpoint on 127.0.0.1 with a free port: records every POST body and answers
/// with <see cref="Status"/>, or, when <see cref="Silent"/>, never answers at all.
/// </summary>
internal sealed class CallbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public CallbackServer()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/auth/check");
        _acceptLoop = AcceptAsync();
    }

    public Uri Url { get; }

    public int Status { get; set; } = 200;

    public bool Silent { get; set; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var received = new MemoryStream();
                var buffer = new byte[4096];
                int headEnd;
                while ((headEnd = IndexOfHeadEnd(received)) < 0)
                {
                    int read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    received.Write(buffer, 0, read);
                }
                var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd);
                int length = ContentLength(head);
                while (received.Length < headEnd + 4 + length)
                {
                    int read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    received.Write(buffer, 0, read);
                }
                Bodies.Enqueue(Encoding.UTF8.GetString(received.GetBuffer(), headEnd + 4, length));
                if (Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                var answer = $"HTTP/1.1 {Status} Answer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
            {
            }
        }
    }

    private static int IndexOfHeadEnd(MemoryStream received) =>
        received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf("\r\n\r\n"u8);

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim());
            }
        }
        return 0;
    }
}
