using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Publishes large synthetic H.264 frames as fast as the server takes them (about 40 Mbit/s),
/// so a viewer that stops reading fills its socket buffers within a second.
/// </summary>
public sealed class FloodPublisher : IAsyncDisposable
{
    private readonly RtmpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FloodPublisher(RtmpClient client)
    {
        _client = client;
        _loop = Task.Run(RunAsync);
    }

    public static async Task<FloodPublisher> StartAsync(int port, string stream, CancellationToken ct)
    {
        var client = await RtmpClients.ConnectAsync(port, "live", ct);
        await client.PublishAsync(stream, ct);
        return new FloodPublisher(client);
    }

    private async Task RunAsync()
    {
        byte[] header = [0x17, 0x00, 0, 0, 0, 1, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0, 4, 0x67, 0x42, 0xC0, 0x1E, 1, 0, 4, 0x68, 0xCE, 0x3C, 0x80];
        var frame = new byte[200_000];
        frame[1] = 1;
        var timestamp = 0u;
        try
        {
            await _client.SendMediaAsync(RtmpMessageType.Video, 0, header, _stop.Token);
            while (!_stop.IsCancellationRequested)
            {
                frame[0] = timestamp % 1000 == 0 ? (byte)0x17 : (byte)0x27;
                await _client.SendMediaAsync(RtmpMessageType.Video, timestamp, frame, _stop.Token);
                timestamp += 40;
                // Real time x 1: 25 frames of 200 KB per media second, paced by the wall clock.
                var ahead = timestamp - (uint)_clock.ElapsedMilliseconds;
                if (ahead > 0 && ahead < 1000)
                {
                    await Task.Delay((int)ahead, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or RtmpProtocolException)
        {
        }
    }

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        await _client.DisposeAsync();
        _stop.Dispose();
    }
}
