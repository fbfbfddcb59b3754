using Appliance.Node.Config;
using Appliance.Node.Transcoding;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Tests.Transcoding;

/// <summary>
/// The command line of one transcoder: one process for every rung, the source's audio copied,
/// keyframes at the source's, its timeline kept, and each rung published to the node over RTMP.
/// </summary>
public sealed class FfmpegCommandTests
{
    private static readonly StreamKey Cam = new("example.com", "live", "cam");
    private static readonly RungTarget Target = new("127.0.0.1", 1935, "example.com", "live");

    private static readonly PlannedRung[] Rungs =
    [
        new("480p", Cam with { Name = "cam_480p" }, 480, 1_200_000, null, null, "veryfast"),
        new("360p", Cam with { Name = "cam_360p" }, 360, 600_000, 15, "main", null),
    ];

    private static List<string> Arguments(string encoder = LadderEncoders.X264, int decodeDelayMs = 0) =>
        FfmpegCommand.Arguments(Rungs, encoder, decodeDelayMs, Target, ["tokenA", "tokenB"]);

    /// <summary>The value after each occurrence of <paramref name="option"/>.</summary>
    private static List<string> Values(List<string> args, string option) =>
        [.. args.Select((a, i) => (a, i)).Where(p => p.a == option).Select(p => args[p.i + 1])];

    [Fact]
    public void The_source_comes_from_stdin_as_flv_with_its_timestamps_kept()
    {
        var args = Arguments();
        var input = args.IndexOf("-i");

        Assert.Equal("pipe:0", args[input + 1]);
        Assert.Equal("flv", args[input - 1]);
        Assert.Equal("-copyts", args[input + 2]);
        Assert.Equal(["pipe:1"], Values(args, "-progress"));
        Assert.Contains("-nostdin", args);
    }

    [Fact]
    public void One_decode_is_split_into_a_scaler_per_rung()
    {
        Assert.Equal("[0:v]split=2[s0][s1];[s0]scale=-2:480[v0];[s1]scale=-2:360,fps=15[v1]", Values(Arguments(), "-filter_complex").Single());
        Assert.Equal("[0:v]scale=-2:480[v0]", FfmpegCommand.FilterGraph([Rungs[0]], LadderEncoders.X264));
    }

    [Fact]
    public void Every_rung_copies_the_audio_and_forces_keyframes_where_the_source_has_them()
    {
        var args = Arguments();

        Assert.Equal(["[v0]", "0:a?", "[v1]", "0:a?"], Values(args, "-map"));
        Assert.Equal(["copy", "copy"], Values(args, "-c:a"));
        Assert.Equal(["libx264", "libx264"], Values(args, "-c:v"));
        Assert.Equal(["source", "source"], Values(args, "-force_key_frames"));
        Assert.Equal(["0", "0"], Values(args, "-sc_threshold"));
        Assert.Equal(["0", "0"], Values(args, "-bf"));
        Assert.Equal(["passthrough", "passthrough"], Values(args, "-fps_mode"));
        Assert.Equal(["1:1000", "1:1000"], Values(args, "-enc_time_base:v"));
        Assert.Equal(["1200000", "600000"], Values(args, "-b:v"));
        Assert.Equal(["2400000", "1200000"], Values(args, "-bufsize"));
        Assert.Equal(["veryfast"], Values(args, "-preset"));
        Assert.Equal(["main"], Values(args, "-profile:v"));
    }

    [Fact]
    public void Each_rung_is_published_to_the_node_with_its_credential_under_the_sources_domain()
    {
        var args = Arguments();

        Assert.Equal(["rtmp://example.com:1935/live", "rtmp://example.com:1935/live"], Values(args, "-rtmp_tcurl"));
        Assert.Equal("rtmp://127.0.0.1:1935/live/cam_480p?appliance_internal=tokenA", args[args.IndexOf("-rtmp_tcurl") + 2]);
        Assert.Equal("rtmp://127.0.0.1:1935/live/cam_360p?appliance_internal=tokenB", args[^1]);
        Assert.Equal(["flv", "flv", "flv"], Values(args, "-f"));
    }

    [Fact]
    public void A_source_with_a_decode_delay_gives_its_rungs_the_same_one()
    {
        Assert.Empty(Values(Arguments(decodeDelayMs: 0), "-bsf:v"));
        Assert.Equal(["setts=dts=PTS-67", "setts=dts=PTS-67"], Values(Arguments(decodeDelayMs: 67), "-bsf:v"));
    }

    [Fact]
    public void Hardware_encoders_get_the_frames_they_take()
    {
        var vaapi = Arguments(LadderEncoders.Vaapi);
        var qsv = Arguments(LadderEncoders.Qsv);

        Assert.Equal(["/dev/dri/renderD128"], Values(vaapi, "-vaapi_device"));
        Assert.Contains("scale=-2:480,format=nv12,hwupload[v0]", Values(vaapi, "-filter_complex").Single(), StringComparison.Ordinal);
        Assert.Contains("scale=-2:480,format=nv12[v0]", Values(qsv, "-filter_complex").Single(), StringComparison.Ordinal);
        Assert.Equal(["h264_nvenc", "h264_nvenc"], Values(Arguments(LadderEncoders.Nvenc), "-c:v"));
    }
}
