using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A hostile or broken parent on loopback: garbage, a bad FLV header, silence, or 404.</summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _fault;
    private readonly List<TcpClient> _clients = [];
    private int _connections;
    private Task _loop = Task.CompletedTask;

    private FakeUpstream(string fault) => _fault = fault;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public static FakeUpstream Start(string fault)
    {
        var upstream = new FakeUpstream(fault);
        upstream._listener.Start();
        upstream._loop = upstream.AcceptLoopAsync();
        return upstream;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                lock (_clients)
                {
                    _clients.Add(client);
                }
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var garbage = new byte[4096];
            new Random(7).NextBytes(garbage);
            switch (_fault)
            {
                case "garbage-rtmp" or "garbage-http":
                    await stream.WriteAsync(garbage, _stop.Token);
                    break;
                case "bad-flv-header":
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close\r\n\r\nXYZ\x01\x05\0\0\0\x09garbage-garbage-garbage"), _stop.Token);
                    break;
                case "http-404":
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
                    break;
                default:
                    // silent: accept and say nothing
                    break;
            }
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
        _stop.Dispose();
    }
}
