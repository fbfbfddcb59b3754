using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Transport.Srt;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>An app's SRT passphrase, and tokens in the stream id checked by the app's auth as RTMP's are.</summary>
public sealed class SrtAccessTests(SrtFixture srt) : IClassFixture<SrtFixture>
{
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task The_right_passphrase_publishes_and_plays()
    {
        await using var publisher = Ffmpeg.Publish(srt.Url("#!::r=secure/cam,m=publish", $"&passphrase={SrtFixture.Passphrase}&pbkeylen=16"), format: "mpegts");
        await WaitForFramesOfAsync("secure", "cam");

        var probe = await Ffmpeg.ProbeAsync(srt.Url("#!::r=secure/cam,m=request", $"&passphrase={SrtFixture.Passphrase}&pbkeylen=16"), seconds: 2, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
    }

    [Theory]
    [InlineData("a wrong passphrase")]
    [InlineData(null)]
    public async Task A_wrong_or_missing_passphrase_is_refused_with_a_log_line(string? passphrase)
    {
        var streamId = $"#!::r=secure/{(passphrase is null ? "nopass" : "wrongpass")},m=publish";

        Assert.Throws<SrtException>(() => SrtCaller.Connect(srt.EndPoint, streamId, new SrtSettings { Passphrase = passphrase }));

        await srt.Daemon.WaitForLogAsync(l => l.Contains("did not complete: wrong or missing passphrase", StringComparison.Ordinal)
            && l.Contains(streamId, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_valid_publish_token_in_the_stream_id_publishes()
    {
        var token = Tokens.TypeA("/tokens/cam", SrtFixture.PublishKey, Tokens.Now);
        await using var publisher = Ffmpeg.Publish(srt.Url($"#!::r=tokens/cam,m=publish,t={token}"), format: "mpegts");

        await WaitForFramesOfAsync("tokens", "cam");
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("tampered")]
    [InlineData("missing")]
    public async Task An_expired_tampered_or_missing_play_token_is_refused_with_a_log_line(string kind)
    {
        var stream = $"refused{kind}";
        var token = kind switch
        {
            "expired" => Tokens.TypeA($"/tokens/{stream}", SrtFixture.PlayKey, Tokens.Now - 3600),
            "tampered" => Flip(Tokens.TypeA($"/tokens/{stream}", SrtFixture.PlayKey, Tokens.Now)),
            _ => null,
        };
        var streamId = token is null ? $"#!::r=tokens/{stream},m=request" : $"#!::r=tokens/{stream},m=request,t={token}";

        var probe = await ExternalProcess.RunAsync(PlayTimeout, "ffprobe", "-v", "error", srt.Url(streamId));

        Assert.NotEqual(0, probe.ExitCode);
        await srt.Daemon.WaitForLogAsync(l => l.Contains("auth refused", StringComparison.Ordinal)
            && l.Contains("closing srt connection", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        await srt.Daemon.WaitForLogAsync(l => l.Contains($"stream=default/tokens/{stream} status=refused", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_valid_play_token_on_r_as_a_query_plays()
    {
        var token = Tokens.TypeA("/tokens/cam2", SrtFixture.PublishKey, Tokens.Now);
        await using var publisher = Ffmpeg.Publish(srt.Url($"#!::r=tokens/cam2?{token},m=publish"), format: "mpegts");
        await WaitForFramesOfAsync("tokens", "cam2");
        var play = Tokens.TypeA("/tokens/cam2", SrtFixture.PlayKey, Tokens.Now);

        var probe = await Ffmpeg.ProbeAsync(srt.Url($"#!::r=tokens/cam2?{play},m=request"), seconds: 2, PlayTimeout);

        Assert.Equal("aac", probe.Audio.CodecName);
    }

    /// <summary>Changes the signature's last digit; setting it to a fixed digit left one token in 16 as it was.</summary>
    private static string Flip(string token) => token[..^1] + (token[^1] == '0' ? '1' : '0');

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private async Task WaitForFramesOfAsync(string app, string name)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (Environment.TickCount64 < deadline)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync(srt.Daemon.AdminUrl("api/streams")));
            if (doc.RootElement.GetProperty("streams").EnumerateArray().Any(s => s.GetProperty("app").GetString() == app
                && s.GetProperty("name").GetString() == name && s.GetProperty("framesIn").GetInt64() >= 50))
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{app}/{name} got no frames. Log:\n{string.Join('\n', srt.Daemon.Lines.TakeLast(30))}");
    }
}
