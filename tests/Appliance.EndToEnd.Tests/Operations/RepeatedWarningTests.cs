using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>
/// A publisher with a corrupted AVC sequence header while an HTTP-TS viewer watches: the daemon
/// says what is wrong once, then counts, instead of a warning per video frame.
/// </summary>
public sealed partial class RepeatedWarningTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // An AVCDecoderConfigurationRecord cut inside its SPS: it claims 4 bytes, 2 are there.
    private static readonly byte[] CorruptedSequenceHeader = [0x17, 0x00, 0, 0, 0, 0x01, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42];

    private static readonly byte[] AacSequenceHeader = [0xAF, 0x00, 0x12, 0x10];

    [Fact]
    public async Task A_corrupted_avc_sequence_header_gives_one_warning_with_the_true_reason_and_counts_not_a_warning_per_frame()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"publisherGraceMs\": 0");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        var publisher = await RtmpClients.ConnectAsync(daemon.RtmpPort, "live", ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (publisher)
        {
            await publisher.PublishAsync("broken", ct);
            await publisher.SendMediaAsync(RtmpMessageType.Video, 0, CorruptedSequenceHeader, ct);
            await publisher.SendMediaAsync(RtmpMessageType.Audio, 0, AacSequenceHeader, ct);
            await publisher.SendMediaAsync(RtmpMessageType.Audio, 0, AacFrame(0), ct);
            var (tcp, _, head) = await RawHttp.GetAsync(daemon.HttpPort, "/live/broken.ts", ct);
            using var viewer = tcp;
            Assert.Equal(200, head.Status);
            // The viewer started TS packaging, which read the stored sequence header.
            await daemon.WaitForLogAsync(l => l.Contains("sequence header refused", StringComparison.Ordinal), Wait);

            // 100 video frames at 25 fps, with AAC in between.
            for (var i = 0; i < 100; i++)
            {
                var ms = (uint)(i * 40);
                await publisher.SendMediaAsync(RtmpMessageType.Video, ms, VideoFrame(key: i % 25 == 0, i), ct);
                await publisher.SendMediaAsync(RtmpMessageType.Audio, ms + 20, AacFrame(i), ct);
                var ahead = ms - clock.ElapsedMilliseconds;
                if (ahead > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(ahead), ct);
                }
            }
        }
        // With the publisher gone the stream ends, and the last count is written.
        await daemon.WaitForLogAsync(l => CountLine().IsMatch(l) && CountsSoFar(daemon) == 100, Wait);
        var seconds = clock.Elapsed.TotalSeconds;

        var warnings = daemon.Lines.Where(l => l.Contains(" WRN ", StringComparison.Ordinal) && l.Contains("default/live/broken", StringComparison.Ordinal)).ToList();
        var full = Assert.Single(warnings, l => !CountLine().IsMatch(l));
        Assert.EndsWith("stream default/live/broken: TS: video sequence header refused: the AVCDecoderConfigurationRecord is truncated in its SPS " +
            "(SPS 1 of 1 claims 4 bytes, 2 left); the track is left out of HTTP-TS and HLS until a valid one arrives", full, StringComparison.Ordinal);
        // One count line per 5 s while it lasted, and one when the stream ended.
        Assert.InRange(warnings.Count - 1, 1, 2 + (int)(seconds / 5));
        Assert.DoesNotContain(daemon.Lines, l => l.Contains("FrameTooLarge", StringComparison.Ordinal));
    }

    private static int CountsSoFar(DaemonProcess daemon) =>
        daemon.Lines.Select(l => CountLine().Match(l)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>An FLV AVC NALU payload: one IDR or non-IDR slice.</summary>
    private static byte[] VideoFrame(bool key, int seed)
    {
        var bytes = new byte[5 + 4 + 200];
        bytes[0] = key ? (byte)0x17 : (byte)0x27;
        bytes[1] = 0x01;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(5), 200);
        bytes[9] = key ? (byte)0x65 : (byte)0x41;
        for (var i = 10; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(0x80 | (seed + i));
        }
        return bytes;
    }

    private static byte[] AacFrame(int seed)
    {
        var bytes = new byte[2 + 40];
        bytes[0] = 0xAF;
        bytes[1] = 0x01;
        for (var i = 2; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }
        return bytes;
    }

    [GeneratedRegex(@" WRN .*stream default/live/broken: video frames left out of TS \(no usable video sequence header\): repeated (\d+) more times in the last [\d.]+ s$")]
    private static partial Regex CountLine();
}
