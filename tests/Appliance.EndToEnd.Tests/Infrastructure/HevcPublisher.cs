using System.Buffers.Binary;
using System.Diagnostics;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A live HEVC stream over enhanced RTMP ('hvc1' FourCC), for machines whose ffmpeg cannot write
/// HEVC into FLV (5.1): ffmpeg encodes with libx265 in real time (25 fps, a keyframe every 25
/// frames, no B-frames, an access unit delimiter before each picture) to raw H.265 on a pipe; each
/// access unit goes out as one CodedFrames tag stamped <see cref="StartMs"/> + 40 ms per frame,
/// after one SequenceStart with the hvcC of the first parameter sets (stamped 0, as encoders do).
/// </summary>
public sealed class HevcPublisher : IAsyncDisposable
{
    public const int Width = 640;
    public const int Height = 360;
    private const int FrameMs = 40;
    private const int AccessUnitDelimiter = 35;

    private readonly Process _ffmpeg;
    private readonly RtmpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _frames;

    private HevcPublisher(Process ffmpeg, RtmpClient client, long startMs)
    {
        _ffmpeg = ffmpeg;
        _client = client;
        StartMs = startMs;
        _loop = Task.Run(RunAsync);
    }

    public long StartMs { get; }

    public long Frames => Interlocked.Read(ref _frames);

    public Exception? Error { get; private set; }

    public static async Task<HevcPublisher> StartAsync(DaemonProcess daemon, string stream, long startMs, CancellationToken ct)
    {
        var client = await RtmpClients.ConnectAsync(daemon.ListenHost, daemon.RtmpPort, "live", ct);
        await client.PublishAsync(stream, ct);
        var info = new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=25",
            "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-x265-params", "keyint=25:min-keyint=25:bframes=0:aud=1:repeat-headers=1:log-level=error",
            "-f", "hevc", "pipe:1",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var ffmpeg = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        ffmpeg.ErrorDataReceived += (_, _) => { };
        ffmpeg.BeginErrorReadLine();
        return new HevcPublisher(ffmpeg, client, startMs);
    }

    private async Task RunAsync()
    {
        var input = _ffmpeg.StandardOutput.BaseStream;
        var pending = new List<byte>();
        var chunk = new byte[64 * 1024];
        var sentHeader = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await input.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                pending.AddRange(chunk.AsSpan(0, read));
                // Every access unit but the last one, which may still be arriving, is complete.
                var starts = AccessUnitStarts(pending);
                for (var i = 0; i + 1 < starts.Count; i++)
                {
                    var nals = SplitAnnexB(pending.GetRange(starts[i], starts[i + 1] - starts[i]).ToArray());
                    sentHeader = await SendAsync(nals, sentHeader);
                }
                if (starts.Count > 1)
                {
                    pending.RemoveRange(0, starts[^1]);
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

    /// <summary>Sends one access unit (the SequenceStart first, from its parameter sets); whether the header has gone out.</summary>
    private async Task<bool> SendAsync(List<byte[]> nals, bool sentHeader)
    {
        if (!sentHeader)
        {
            var sets = nals.Where(n => NalType(n) is 32 or 33 or 34).GroupBy(NalType).ToDictionary(g => g.Key, g => g.First());
            if (sets.Count < 3)
            {
                return false;
            }
            await _client.SendMediaAsync(RtmpMessageType.Video, 0, HevcSample.SequenceStart(sets[32], sets[33], sets[34]), _stop.Token);
        }
        var pictures = nals.Where(n => NalType(n) is < 32 or 39 or 40).ToList();
        var key = pictures.Any(n => NalType(n) is >= 16 and <= 23);
        var tag = new byte[8 + pictures.Sum(n => 4 + n.Length)];
        tag[0] = (byte)(0x80 | ((key ? 1 : 2) << 4) | 1);
        "hvc1"u8.CopyTo(tag.AsSpan(1));
        var at = 8;
        foreach (var nal in pictures)
        {
            BinaryPrimitives.WriteInt32BigEndian(tag.AsSpan(at), nal.Length);
            nal.CopyTo(tag, at + 4);
            at += 4 + nal.Length;
        }
        await _client.SendMediaAsync(RtmpMessageType.Video, unchecked((uint)(StartMs + Frames * FrameMs)), tag, _stop.Token);
        Interlocked.Increment(ref _frames);
        return true;
    }

    private static int NalType(byte[] nal) => (nal[0] >> 1) & 0x3F;

    /// <summary>Where each access unit delimiter's start code begins.</summary>
    private static List<int> AccessUnitStarts(List<byte> data)
    {
        var starts = new List<int>();
        for (var i = 0; i + 3 < data.Count; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && ((data[i + 3] >> 1) & 0x3F) == AccessUnitDelimiter)
            {
                starts.Add(i > 0 && data[i - 1] == 0 ? i - 1 : i);
                i += 3;
            }
        }
        return starts;
    }

    private static List<byte[]> SplitAnnexB(byte[] data)
    {
        var nals = new List<byte[]>();
        var start = -1;
        for (var i = 0; i + 3 <= data.Length; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
            {
                if (start >= 0)
                {
                    nals.Add(data[start..(data[i - 1] == 0 ? i - 1 : i)]);
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0 && start < data.Length)
        {
            nals.Add(data[start..]);
        }
        return nals;
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
