using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Appliance.Protocols.Http;

namespace Appliance.EndToEnd.Tests.Infrastructure;

public sealed record HttpResult(int Status, HttpResponseHead Head, byte[] Body)
{
    public string? Header(string name) => Head.GetHeader(name);

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>The node's segment cache counters from GET /api/status.</summary>
public sealed record SegmentCacheStatus(long Segments, long Bytes, long Hits, long Misses, long Evictions)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<SegmentCacheStatus> GetAsync(DaemonProcess daemon)
    {
        var json = await Http.GetStringAsync(daemon.AdminUrl("api/status"));
        using var doc = JsonDocument.Parse(json);
        var cache = doc.RootElement.GetProperty("segmentCache");
        return new SegmentCacheStatus(
            cache.GetProperty("segments").GetInt64(),
            cache.GetProperty("bytes").GetInt64(),
            cache.GetProperty("hits").GetInt64(),
            cache.GetProperty("misses").GetInt64(),
            cache.GetProperty("evictions").GetInt64());
    }
}

/// <summary>
/// One keep-alive HTTP/1.1 connection to the daemon: requests go out one at a time and responses
/// are read with their Content-Length bodies, so a test can see that the connection survives.
/// </summary>
public sealed class HttpConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;

    private HttpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _input = PipeReader.Create(_stream);
    }

    public static async Task<HttpConnection> OpenAsync(int port, CancellationToken ct)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, ct);
        return new HttpConnection(tcp);
    }

    public async Task<HttpResult> SendAsync(string path, CancellationToken ct, string method = "GET")
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: e2e\r\n\r\n"), ct);
        var head = await RawHttp.ReadHeadAsync(_input, ct);
        var length = method == "HEAD" ? 0 : head.ContentLength ?? throw new InvalidOperationException($"{path}: a response without Content-Length on a keep-alive connection");
        var body = new byte[length];
        var read = 0L;
        while (read < length)
        {
            var result = await _input.ReadAsync(ct);
            var take = Math.Min(result.Buffer.Length, length - read);
            result.Buffer.Slice(0, take).CopyTo(body.AsSpan((int)read));
            read += take;
            _input.AdvanceTo(result.Buffer.GetPosition(take));
            if (read < length && result.IsCompleted)
            {
                throw new IOException($"{path}: the connection closed after {read} of {length} body bytes");
            }
        }
        return new HttpResult(head.Status, head, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        _tcp.Dispose();
    }
}

/// <summary>HLS as a player fetches it: playlists and segments over one keep-alive connection.</summary>
public static class Hls
{
    /// <summary>GET on a fresh connection.</summary>
    public static async Task<HttpResult> GetAsync(DaemonProcess daemon, string path, CancellationToken ct)
    {
        await using var connection = await HttpConnection.OpenAsync(daemon.HttpPort, ct);
        return await connection.SendAsync(path, ct);
    }

    /// <summary>Polls the playlist until <paramref name="done"/> holds; fails with the last playlist at the deadline.</summary>
    public static async Task<HlsPlaylist> WaitForPlaylistAsync(DaemonProcess daemon, string path, Func<HlsPlaylist, bool> done, TimeSpan timeout, string what, Action<HlsPlaylist>? each = null)
    {
        using var cts = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(10));
        await using var connection = await HttpConnection.OpenAsync(daemon.HttpPort, cts.Token);
        var clock = Stopwatch.StartNew();
        HttpResult? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await connection.SendAsync(path, cts.Token);
            if (last.Status == 200)
            {
                var playlist = HlsPlaylist.Parse(last.Text);
                each?.Invoke(playlist);
                if (done(playlist))
                {
                    return playlist;
                }
            }
            await Task.Delay(200, cts.Token);
        }
        throw new TimeoutException($"no playlist with {what} within {timeout.TotalSeconds:F0}s; last: {last?.Status}\n{last?.Text}");
    }

    /// <summary>Waits until the node's segment cache satisfies <paramref name="condition"/>.</summary>
    public static async Task<SegmentCacheStatus> WaitForCacheAsync(DaemonProcess daemon, Func<SegmentCacheStatus, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        SegmentCacheStatus status;
        while (!condition(status = await SegmentCacheStatus.GetAsync(daemon)))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"segment cache never had {what} within {timeout.TotalSeconds:F0}s: {status}");
            }
            await Task.Delay(100);
        }
        return status;
    }
}
