using System.Net.Sockets;
using Appliance.Core.Buffers;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Transport.Srt;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>Malformed SRT callers and input: each refused or survived with a log line, while live/cam (published over SRT) plays on.</summary>
public sealed class SrtHostileInputTests(SrtFixture srt) : IClassFixture<SrtFixture>
{
    [Fact]
    public async Task Garbage_datagrams_on_the_srt_port_leave_the_publisher_and_new_callers_alone()
    {
        var before = await FramesAsync();
        using (var udp = new UdpClient())
        {
            var random = new Random(19);
            for (var i = 0; i < 500; i++)
            {
                var datagram = new byte[random.Next(1, 1500)];
                random.NextBytes(datagram);
                await udp.SendAsync(datagram, srt.EndPoint);
            }
        }

        await Conditions.UntilAsync(async () => await FramesAsync() > before + 50, TimeSpan.FromSeconds(15), "the SRT publisher kept publishing");
        var probe = await Ffmpeg.ProbeAsync(srt.Url("#!::r=live/cam,m=request"), seconds: 1, TimeSpan.FromSeconds(30));
        Assert.Equal("h264", probe.Video.CodecName);
    }

    [Theory]
    [InlineData("#!::r=live/cam,m=play", SrtHandshakeDecision.BadRequest, "unknown mode m=play (publish or request)")]
    [InlineData("#!::r=nosuchapp/cam,m=publish", SrtHandshakeDecision.NotFound, "unknown app 'nosuchapp'")]
    [InlineData("#!::m=publish", SrtHandshakeDecision.BadRequest, "stream id has no r=")]
    [InlineData("", SrtHandshakeDecision.BadRequest, "no stream id")]
    public async Task A_stream_id_that_cannot_be_served_is_refused_in_the_handshake_with_a_log_line(string streamId, int reason, string line)
    {
        var refused = Assert.Throws<SrtException>(() => SrtCaller.Connect(srt.EndPoint, streamId, new SrtSettings()));

        Assert.Equal(reason, refused.RejectReason);
        await srt.Daemon.WaitForLogAsync(l => l.Contains("srt handshake from", StringComparison.Ordinal) && l.Contains(line, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_stream_id_as_long_as_srt_carries_with_a_too_long_name_is_refused_with_a_log_line()
    {
        var streamId = "#!::r=live/" + new string('n', 512 - 11);
        var caller = SrtCaller.Connect(srt.EndPoint, streamId, new SrtSettings());
        try
        {
            await srt.Daemon.WaitForLogAsync(l => l.Contains("closing srt connection", StringComparison.Ordinal)
                && l.Contains("stream name longer than 200", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }
        finally
        {
            caller.Abort();
        }
    }

    [Fact]
    public async Task Bytes_that_are_not_mpeg_ts_end_that_publisher_with_a_log_line()
    {
        var caller = SrtCaller.Connect(srt.EndPoint, "#!::r=live/notts,m=publish", new SrtSettings());
        try
        {
            var noise = new byte[1316];
            new Random(7).NextBytes(noise);
            noise.AsSpan().Replace((byte)0x47, (byte)0x48);
            for (var i = 0; i < 40 && !caller.IsAborted; i++)
            {
                await SendAsync(caller, noise);
            }
            await srt.Daemon.WaitForLogAsync(l => l.Contains("closing srt connection", StringComparison.Ordinal)
                && l.Contains("not a transport stream", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            await srt.Daemon.WaitForLogAsync(l => l.Contains("access proto=srt-publish", StringComparison.Ordinal)
                && l.Contains("stream=default/live/notts status=error", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }
        finally
        {
            caller.Abort();
        }
    }

    [Fact]
    public async Task A_broken_pat_and_pmt_publish_nothing_and_are_logged()
    {
        var caller = SrtCaller.Connect(srt.EndPoint, "#!::r=live/brokenpsi,m=publish", new SrtSettings());
        try
        {
            // TS packets in sync, but the PAT's CRC is wrong: no program, so no frames.
            var packets = new byte[7 * 188];
            for (var p = 0; p < 7; p++)
            {
                var packet = packets.AsSpan(p * 188, 188);
                packet.Fill(0xFF);
                packet[0] = 0x47;
                packet[1] = 0x40;
                packet[2] = 0x00;
                packet[3] = (byte)(0x10 | p);
                ReadOnlySpan<byte> pat = [0x00, 0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xF0, 0x00, 0xDE, 0xAD, 0xBE, 0xEF];
                pat.CopyTo(packet[4..]);
            }
            for (var i = 0; i < 5; i++)
            {
                await SendAsync(caller, packets);
            }
            await srt.Daemon.WaitForLogAsync(l => l.Contains("stream default/live/brokenpsi: damaged MPEG-TS input", StringComparison.Ordinal)
                && l.Contains("PSI CRC errors", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Assert.Equal(0, await FramesAsync("brokenpsi"));
            Assert.True(await FramesAsync() > 0);
        }
        finally
        {
            caller.Abort();
        }
    }

    private static async Task SendAsync(SrtConnection caller, byte[] bytes)
    {
        var buffer = SharedBuffer.CopyOf(bytes);
        try
        {
            await caller.Output.WriteAsync(new[] { new BufferSlice(buffer) }, CancellationToken.None);
        }
        catch (IOException)
        {
            // The node closed this caller: what some of these tests expect.
        }
        finally
        {
            buffer.Release();
        }
    }

    private async Task<long> FramesAsync(string name = "cam") =>
        await StreamApi.FindAsync(srt.Daemon, name) is { } s ? s.GetProperty("framesIn").GetInt64() : 0;
}
