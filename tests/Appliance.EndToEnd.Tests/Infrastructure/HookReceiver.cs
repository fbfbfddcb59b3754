using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A customer's backend on 127.0.0.1 with a free port, for webhooks and the auth callback: it reads
/// HTTP/1.1 POSTs (several per connection, as a pooled client sends them), records each with its
/// headers and body in arrival order, and answers with the status <see cref="Answer"/> gives, or
/// not at all when that is null (a backend that hangs).
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<HookRequest> _requests = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _acceptLoop;

    public HookReceiver()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The status for a request, or null to never answer it; 204 unless set.</summary>
    public Func<HookRequest, int?> Answer { get; set; } = _ => 204;

    public IReadOnlyList<HookRequest> Requests => [.. _requests];

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>The events POSTed to <paramref name="path"/> for one stream, in arrival order.</summary>
    public List<HookRequest> EventsOf(string path, string stream) =>
        [.. Requests.Where(r => r.Path == path && r.Json.TryGetProperty("stream", out var s) && s.GetString() == stream)];

    /// <summary>Waits until a request matches; fails with what did arrive.</summary>
    public async Task<HookRequest> WaitForAsync(Func<HookRequest, bool> match, TimeSpan timeout, string what) =>
        (await WaitForCountAsync(match, 1, timeout, what))[0];

    /// <summary>Waits until <paramref name="count"/> requests match; those that match, in arrival order.</summary>
    public async Task<List<HookRequest>> WaitForCountAsync(Func<HookRequest, bool> match, int count, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var found = Requests.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no {what} within {timeout.TotalSeconds:F0} s; received:\n{string.Join('\n', Requests)}");
    }

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
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _clients.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var received = new MemoryStream();
            var buffer = new byte[8192];
            while (true)
            {
                int headEnd;
                while ((headEnd = received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (!await ReadMoreAsync(stream, received, buffer))
                    {
                        return;
                    }
                }
                var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd).Split("\r\n");
                var headers = head.Skip(1).Select(line => line.Split(':', 2)).Where(p => p.Length == 2)
                    .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var length = int.Parse(headers.GetValueOrDefault("Content-Length", "0"), System.Globalization.CultureInfo.InvariantCulture);
                while (received.Length < headEnd + 4 + length)
                {
                    if (!await ReadMoreAsync(stream, received, buffer))
                    {
                        return;
                    }
                }
                var body = received.GetBuffer().AsSpan(headEnd + 4, length).ToArray();
                var rest = received.GetBuffer().AsSpan(headEnd + 4 + length, (int)received.Length - headEnd - 4 - length).ToArray();
                received.SetLength(0);
                received.Write(rest);
                var request = new HookRequest(head[0].Split(' ')[1], headers, body);
                _requests.Enqueue(request);
                if (Answer(request) is not { } status)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} Answer\r\nContent-Length: 0\r\n\r\n"), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<bool> ReadMoreAsync(NetworkStream stream, MemoryStream received, byte[] buffer)
    {
        var read = await stream.ReadAsync(buffer, _stop.Token);
        received.Write(buffer, 0, read);
        return read > 0;
    }
}

/// <summary>One POST as the backend saw it.</summary>
public sealed record HookRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The webhook's event name, or "" for a body without one (the auth callback's).</summary>
    public string Event => Json.TryGetProperty("event", out var e) ? e.GetString()! : "";

    public override string ToString() => $"{Path} {Encoding.UTF8.GetString(Body)}";
}
