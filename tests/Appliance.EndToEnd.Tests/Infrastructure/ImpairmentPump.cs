using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Moves one direction of one relayed connection: a reader stamps each chunk with its release
/// time and queues it (a bounded queue: when it is full the reader stops reading, and TCP pushes
/// back on the sender), a writer waits for each chunk's release, any stall, and the rate, then
/// sends it. The source's end of stream becomes a half-close of the destination.
/// </summary>
internal sealed class ImpairmentPump
{
    public const int ChunkBytes = 16 * 1024;

    private readonly Socket _source;
    private readonly Socket _destination;
    private readonly ImpairmentDirection _direction;
    private readonly TokenBucket _ownBucket = new();
    private readonly Channel<Chunk> _queue;
    private double _lastReleaseSeconds;

    public ImpairmentPump(Socket source, Socket destination, ImpairmentDirection direction, int maxBufferedBytes)
    {
        _source = source;
        _destination = destination;
        _direction = direction;
        _queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(Math.Max(1, maxBufferedBytes / ChunkBytes))
        {
            SingleReader = true,
            SingleWriter = true,
        });
    }

    private static double NowSeconds => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>Runs until the source ends and everything queued is delivered; throws when either socket fails or is cut.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadAsync(failed.Token);
        var writing = WriteAsync(failed.Token);
        try
        {
            // A failed side must not leave the other waiting on a full queue or a silent socket.
            var first = await Task.WhenAny(reading, writing);
            if (!first.IsCompletedSuccessfully)
            {
                failed.Cancel();
            }
            await Task.WhenAll(reading, writing);
        }
        finally
        {
            // A writer that failed leaves chunks behind; hand their buffers back.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int read;
                try
                {
                    read = await _source.ReceiveAsync(buffer.AsMemory(0, ChunkBytes), SocketFlags.None, cancellationToken);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }
                var impairment = _direction.Current.Impairment;
                double jitter = impairment.JitterMs == 0 ? 0 : (Random.Shared.NextDouble() * 2 - 1) * impairment.JitterMs;
                double release = NowSeconds + Math.Max(0, impairment.DelayMs + jitter) / 1000;
                // Never before the previous chunk: jitter varies the delay, it does not reorder bytes.
                _lastReleaseSeconds = Math.Max(_lastReleaseSeconds, release);
                _direction.AddReceived(read);
                await _queue.Writer.WriteAsync(new Chunk(buffer, read, _lastReleaseSeconds), cancellationToken);
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await foreach (var chunk in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await WaitUntilAsync(chunk.ReleaseSeconds, cancellationToken);
                int offset = 0;
                while (offset < chunk.Length)
                {
                    var (impairment, setAt) = _direction.Current;
                    await WaitOutStallAsync(impairment, setAt, cancellationToken);
                    int slice = chunk.Length - offset;
                    if (impairment.RateBytesPerSecond > 0)
                    {
                        // Slices of a few ms each, so a capped path trickles rather than bursts.
                        slice = (int)Math.Min(slice, Math.Max(512, impairment.RateBytesPerSecond / 200));
                        var bucket = impairment.SharedRate ? _direction.SharedBucket : _ownBucket;
                        double now = NowSeconds;
                        await WaitUntilAsync(now + bucket.Reserve(slice, impairment.RateBytesPerSecond, now).TotalSeconds, cancellationToken);
                    }
                    await SendAllAsync(chunk.Buffer.AsMemory(offset, slice), cancellationToken);
                    _direction.AddSent(slice);
                    offset += slice;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }
        }
        _destination.Shutdown(SocketShutdown.Send);
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _destination.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    private static async Task WaitOutStallAsync(Impairment impairment, double setAtSeconds, CancellationToken cancellationToken)
    {
        if (impairment.StallEveryMs <= 0 || impairment.StallForMs <= 0)
        {
            return;
        }
        double cycle = (impairment.StallEveryMs + impairment.StallForMs) / 1000.0;
        double phase = (NowSeconds - setAtSeconds) % cycle;
        if (phase >= impairment.StallEveryMs / 1000.0)
        {
            await WaitUntilAsync(NowSeconds + cycle - phase, cancellationToken);
        }
    }

    /// <summary>Waits until the monotonic clock reaches the time; timers round, so it checks again rather than ever return early.</summary>
    private static async Task WaitUntilAsync(double releaseSeconds, CancellationToken cancellationToken)
    {
        double wait;
        while ((wait = releaseSeconds - NowSeconds) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait * 1000)), cancellationToken);
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, double ReleaseSeconds);
}
