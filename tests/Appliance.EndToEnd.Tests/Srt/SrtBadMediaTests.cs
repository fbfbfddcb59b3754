using Appliance.Core.Buffers;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Transport.Srt;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>
/// Well-formed transport streams with lying media, from a crafted SRT sender (faster than real
/// time): each publisher gets one log line for it, and live/cam (published over SRT by ffmpeg) plays on.
/// </summary>
public sealed class SrtBadMediaTests(SrtFixture srt) : IClassFixture<SrtFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("srt-bad-media-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Pes_lengths_that_lie_drop_those_units_with_a_log_line_and_the_rest_publishes()
    {
        var ts = await EncodeAsync("lying.ts", "testsrc2=size=96x64:rate=25:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac");
        var lied = LieAboutAudioPesLengths(ts);
        // ffmpeg packs several AAC frames in one PES: about three a second.
        Assert.True(lied > 5, $"only {lied} audio PES headers to lie in");
        var before = await FramesAsync("cam");

        await SendAsync("#!::r=live/lying,m=publish", ts, async () =>
        {
            await srt.Daemon.WaitForLogAsync(l => l.Contains("stream default/live/lying: damaged MPEG-TS input", StringComparison.Ordinal)
                && l.Contains("bad PES", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            // The video (its PES length 0, as ffmpeg writes it) still arrives.
            await Conditions.UntilAsync(async () => await FramesAsync("lying") >= 90, TimeSpan.FromSeconds(15), "the lying publisher's video frames");
        });

        await Conditions.UntilAsync(async () => await FramesAsync("cam") > before + 25, TimeSpan.FromSeconds(15), "live/cam kept publishing");
    }

    [Fact]
    public async Task A_minute_without_a_keyframe_is_said_once_and_live_cam_plays_on()
    {
        // One IDR, then 70 s of media with none, sent in a few seconds.
        var ts = await EncodeAsync("nokey.ts", "testsrc2=size=96x64:rate=5:duration=70",
            "-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "keyint=infinite:scenecut=0");

        await SendAsync("#!::r=live/nokey,m=publish", ts, async () =>
        {
            await srt.Daemon.WaitForLogAsync(l => l.Contains("stream default/live/nokey: no video keyframe for 60 s of media", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20));
            await Conditions.UntilAsync(async () => await FramesAsync("nokey") >= 340, TimeSpan.FromSeconds(15), "every keyless frame published");
        });

        Assert.Single(srt.Daemon.Lines, l => l.Contains("stream default/live/nokey: no video keyframe", StringComparison.Ordinal));
        var probe = await Ffmpeg.ProbeAsync(srt.Daemon.HttpUrl("live/cam.flv"), seconds: 1, TimeSpan.FromSeconds(30));
        Assert.Equal("h264", probe.Video.CodecName);
    }

    private async Task<byte[]> EncodeAsync(string name, string video, params string[] rest)
    {
        var path = Path.Combine(_directory, name);
        var ffmpeg = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(120), "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "lavfi", "-i", video, .. rest, "-f", "mpegts", "-y", path]);
        Assert.True(ffmpeg.ExitCode == 0, ffmpeg.Stderr);
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// Rewrites PES_packet_length of the audio PES (stream id 0xC0) in place: every other one
    /// promises far more than it holds (the next unit start cuts it short), the others far less
    /// (the unit ends early and what follows is cut off). Returns how many it changed.
    /// </summary>
    private static int LieAboutAudioPesLengths(byte[] ts)
    {
        var lied = 0;
        for (var at = 0; at + 188 <= ts.Length; at += 188)
        {
            var packet = ts.AsSpan(at, 188);
            if (packet[0] != 0x47 || (packet[1] & 0x40) == 0 || (packet[3] & 0x10) == 0)
            {
                continue;
            }
            var payload = (packet[3] & 0x20) != 0 ? 5 + packet[4] : 4;
            if (payload + 6 > 188 || packet[payload] != 0 || packet[payload + 1] != 0 || packet[payload + 2] != 1 || packet[payload + 3] != 0xC0)
            {
                continue;
            }
            var length = lied % 2 == 0 ? 0xFFF0 : 12;
            packet[payload + 4] = (byte)(length >> 8);
            packet[payload + 5] = (byte)length;
            lied++;
        }
        return lied;
    }

    // Sends the whole stream as one SRT caller would (1316-byte messages), then runs the checks while it is still connected.
    private async Task SendAsync(string streamId, byte[] ts, Func<Task> whileConnected)
    {
        var caller = SrtCaller.Connect(srt.EndPoint, streamId, new SrtSettings());
        try
        {
            for (var offset = 0; offset < ts.Length; offset += 1316)
            {
                var buffer = SharedBuffer.CopyOf(ts.AsSpan(offset, Math.Min(1316, ts.Length - offset)));
                try
                {
                    await caller.Output.WriteAsync(new[] { new BufferSlice(buffer) }, CancellationToken.None);
                }
                finally
                {
                    buffer.Release();
                }
            }
            await whileConnected();
        }
        finally
        {
            caller.Abort();
        }
    }

    private async Task<long> FramesAsync(string name) =>
        await StreamApi.FindAsync(srt.Daemon, name) is { } s ? s.GetProperty("framesIn").GetInt64() : 0;
}
