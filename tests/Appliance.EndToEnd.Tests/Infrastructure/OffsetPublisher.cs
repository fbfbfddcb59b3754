using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Appliance.Codecs.Flv;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A live ffmpeg encode published over RTMP by the appliance's own client with every media
/// timestamp moved to start at <see cref="StartMs"/>, modulo 2^32 as RTMP carries it: a stream as
/// old as production, or one that crosses RTMP's 32-bit wrap during the test (ffmpeg's own FLV
/// muxer cannot stamp past 2^31 ms). Headers and metadata stay stamped 0, as encoders send them.
/// </summary>
public sealed class OffsetPublisher : IAsyncDisposable
{
    /// <summary>A start 12 s before RTMP's 32-bit timestamps wrap.</summary>
    public const long BeforeTheWrapMs = (1L << 32) - 12_000;

    private readonly Process _ffmpeg;
    private readonly RtmpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastMs = -1;

    private OffsetPublisher(Process ffmpeg, RtmpClient client, long startMs)
    {
        _ffmpeg = ffmpeg;
        _client = client;
        StartMs = startMs;
        _loop = Task.Run(RunAsync);
    }

    public long StartMs { get; }

    /// <summary>The 64-bit time of the last media frame sent (before the 32-bit cut), or -1.</summary>
    public long LastMs => Interlocked.Read(ref _lastMs);

    /// <summary>Media time sent so far.</summary>
    public long SentMs => LastMs < 0 ? 0 : LastMs - StartMs;

    public Exception? Error { get; private set; }

    public static async Task<OffsetPublisher> StartAsync(DaemonProcess daemon, string stream, long startMs, CancellationToken ct)
    {
        var client = await RtmpClients.ConnectAsync(daemon.ListenHost, daemon.RtmpPort, "live", ct);
        await client.PublishAsync(stream, ct);
        var info = new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "25",
            "-c:a", "aac", "-b:a", "64k", "-f", "flv", "pipe:1",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var ffmpeg = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        ffmpeg.ErrorDataReceived += (_, _) => { };
        ffmpeg.BeginErrorReadLine();
        return new OffsetPublisher(ffmpeg, client, startMs);
    }

    private async Task RunAsync()
    {
        var input = PipeReader.Create(_ffmpeg.StandardOutput.BaseStream);
        var flv = new FlvStreamReader();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await input.ReadAsync(_stop.Token);
                var tags = ReadTags(flv, read.Buffer, out var consumed);
                input.AdvanceTo(consumed, read.Buffer.End);
                foreach (var tag in tags)
                {
                    try
                    {
                        await SendAsync(tag);
                    }
                    finally
                    {
                        tag.Payload.Release();
                    }
                }
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Error = ex;
        }
    }

    private static List<FlvTag> ReadTags(FlvStreamReader flv, ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var tags = new List<FlvTag>();
        while (flv.TryReadTag(ref reader, out var tag))
        {
            tags.Add(tag);
        }
        consumed = reader.Position;
        return tags;
    }

    private async Task SendAsync(FlvTag tag)
    {
        ReadOnlyMemory<byte> payload = tag.Payload.Memory[..tag.Payload.Length];
        var isHeader = tag.Type == FlvTagType.Script
            || tag.Type == FlvTagType.Video && payload.Length > 1 && payload.Span[1] == 0
            || tag.Type == FlvTagType.Audio && payload.Length > 1 && payload.Span[1] == 0;
        var at = isHeader ? tag.Timestamp : StartMs + tag.Timestamp;
        if (!isHeader)
        {
            Interlocked.Exchange(ref _lastMs, Math.Max(LastMs, at));
        }
        await _client.SendMediaAsync((byte)tag.Type, unchecked((uint)at), payload, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (!_ffmpeg.HasExited)
        {
            _ffmpeg.Kill();
        }
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        await _ffmpeg.WaitForExitAsync();
        _ffmpeg.Dispose();
        await _client.DisposeAsync();
        _stop.Dispose();
    }
}
