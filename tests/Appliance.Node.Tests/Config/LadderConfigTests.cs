using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>An app's "ladder" and the node's "transcode": what they accept, and each refusal in the user's words with its key path.</summary>
public sealed class LadderConfigTests
{
    private const string Rung480 = "{ \"label\": \"480p\", \"height\": 480, \"videoBitrate\": \"1200k\" }";

    private static string App(string ladder, string root = "") =>
        "{ " + root + " \"domains\": [ { \"name\": \"default\", \"apps\": [ { \"name\": \"live\", \"ladder\": " + ladder + " } ] } ] }";

    private static string Rungs(params string[] rungs) => "{ \"rungs\": [ " + string.Join(", ", rungs) + " ] }";

    [Theory]
    [InlineData("{ \"label\": \"\", \"height\": 480, \"videoBitrate\": \"1M\" }", "rungs[0].label: must be 1 to 16 letters, digits, '-' or '_'")]
    [InlineData("{ \"label\": \"4 80\", \"height\": 480, \"videoBitrate\": \"1M\" }", "rungs[0].label: must be 1 to 16 letters, digits, '-' or '_'")]
    [InlineData("{ \"label\": \"480.p\", \"height\": 480, \"videoBitrate\": \"1M\" }", "rungs[0].label: must be 1 to 16 letters, digits, '-' or '_'")]
    [InlineData("{ \"label\": \"a/b\", \"height\": 480, \"videoBitrate\": \"1M\" }", "rungs[0].label: must be 1 to 16 letters, digits, '-' or '_'")]
    [InlineData("{ \"label\": \"abcdefghijklmnopq\", \"height\": 480, \"videoBitrate\": \"1M\" }", "rungs[0].label: must be 1 to 16 letters, digits, '-' or '_'")]
    [InlineData("{ \"height\": 480, \"videoBitrate\": \"1M\" }", "rungs[0].label: must be 1 to 16 letters, digits, '-' or '_'")]
    [InlineData("{ \"label\": \"x\", \"height\": 0, \"videoBitrate\": \"1M\" }", "rungs[0].height: must be an even number of pixels between 2 and 4320")]
    [InlineData("{ \"label\": \"x\", \"height\": -480, \"videoBitrate\": \"1M\" }", "rungs[0].height: must be an even number of pixels between 2 and 4320")]
    [InlineData("{ \"label\": \"x\", \"height\": 481, \"videoBitrate\": \"1M\" }", "rungs[0].height: must be an even number of pixels between 2 and 4320")]
    [InlineData("{ \"label\": \"x\", \"height\": 4322, \"videoBitrate\": \"1M\" }", "rungs[0].height: must be an even number of pixels between 2 and 4320")]
    [InlineData("{ \"label\": \"x\", \"height\": 480 }", "rungs[0].videoBitrate: must be a bit rate between 50k and 50M")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"fast\" }", "rungs[0].videoBitrate: must be a bit rate between 50k and 50M")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1.2G\" }", "rungs[0].videoBitrate: must be a bit rate between 50k and 50M")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"10k\" }", "rungs[0].videoBitrate: must be a bit rate between 50k and 50M")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"51M\" }", "rungs[0].videoBitrate: must be a bit rate between 50k and 50M")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"-1M\" }", "rungs[0].videoBitrate: must be a bit rate between 50k and 50M")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1M\", \"fps\": 0 }", "rungs[0].fps: must be between 1 and 120 (or left out to keep the source's)")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1M\", \"fps\": 240 }", "rungs[0].fps: must be between 1 and 120 (or left out to keep the source's)")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1M\", \"profile\": \"high10\" }", "rungs[0].profile: must be one of baseline, main, high (or left out)")]
    [InlineData("{ \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1M\", \"preset\": \"p4\" }", "rungs[0].preset: must be a libx264 preset: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow")]
    [InlineData("null", "rungs[0]: must be an object")]
    public void A_bad_rung_is_refused_with_its_key_path_and_why(string rung, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(Rungs(rung)), "t.json"));

        Assert.Contains($"t.json: $.domains[0].apps[0].ladder.{problem}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"encoder\": \"libx265\" }", "encoder: must be one of libx264, h264_nvenc, h264_vaapi, h264_qsv")]
    [InlineData("{ \"mode\": \"on-demand\" }", "mode: must be onDemand or always")]
    [InlineData("{ \"idleStopSeconds\": 4 }", "idleStopSeconds: must be between 5 and 3600")]
    [InlineData("{ \"idleStopSeconds\": 3601 }", "idleStopSeconds: must be between 5 and 3600")]
    [InlineData("{ \"rungs\": null }", "rungs: must be an array of rungs")]
    [InlineData("{ \"encoder\": \"h264_vaapi\", \"rungs\": [ { \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1M\", \"preset\": \"fast\" } ] }", "rungs[0].preset: h264_vaapi takes no preset: leave it out")]
    [InlineData("{ \"encoder\": \"h264_nvenc\", \"rungs\": [ { \"label\": \"x\", \"height\": 480, \"videoBitrate\": \"1M\", \"preset\": \"veryfast\" } ] }", "rungs[0].preset: must be a h264_nvenc preset: p1, p2, p3, p4, p5, p6, p7")]
    public void A_bad_ladder_setting_is_refused_with_its_key_path_and_why(string ladder, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(ladder), "t.json"));

        Assert.Contains($"t.json: $.domains[0].apps[0].ladder.{problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_ladder_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("null"), "t.json"));

        Assert.Contains("t.json: $.domains[0].apps[0].ladder: must be an object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_must_be_unique_ignoring_case()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(Rungs(Rung480, "{ \"label\": \"480P\", \"height\": 360, \"videoBitrate\": \"600k\" }")), "t.json"));

        Assert.Contains("$.domains[0].apps[0].ladder.rungs[1].label: '480P' is used by another rung (labels are compared ignoring case)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_eight_rungs_are_refused()
    {
        var rungs = Enumerable.Range(1, 9).Select(i => $"{{ \"label\": \"r{i}\", \"height\": {i * 100}, \"videoBitrate\": \"500k\" }}").ToArray();

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(Rungs(rungs)), "t.json"));

        Assert.Contains("$.domains[0].apps[0].ladder.rungs: lists more than 8 rungs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ladder_is_read_with_its_defaults()
    {
        var ladder = ConfigLoader.Parse(App(Rungs(Rung480, "{ \"label\": \"360p\", \"height\": 360, \"videoBitrate\": \"600000\", \"fps\": 15, \"profile\": \"main\", \"preset\": \"ultrafast\" }"))).Domains[0].Apps[0].Ladder;

        Assert.Equal(["480p", "360p"], ladder.Rungs.Select(r => r.Label));
        Assert.Equal((LadderEncoders.X264, LadderModes.OnDemand, 30), (ladder.Encoder, ladder.Mode, ladder.IdleStopSeconds));
        Assert.Equal((15, "main", "ultrafast"), (ladder.Rungs[1].Fps, ladder.Rungs[1].Profile, ladder.Rungs[1].Preset));
        Assert.Null(ladder.Rungs[0].Fps);
    }

    [Fact]
    public void By_default_no_app_has_a_ladder_and_ffmpeg_is_not_needed()
    {
        var config = ConfigLoader.Parse(App("{}", "\"transcode\": { \"ffmpegPath\": \"/nonexistent/ffmpeg\" },"));

        Assert.Empty(config.Domains[0].Apps[0].Ladder.Rungs);
        Assert.Equal(4, config.Transcode.MaxConcurrent);
    }

    [Theory]
    [InlineData("/nonexistent/ffmpeg", "$.transcode.ffmpegPath: '/nonexistent/ffmpeg' is not an executable file, and $.domains[0].apps[0].ladder configures a ladder: install ffmpeg (apt-get install ffmpeg) or set transcode.ffmpegPath")]
    [InlineData("ffmpeg-that-is-not-installed", "$.transcode.ffmpegPath: 'ffmpeg-that-is-not-installed' is not an executable file on PATH, and $.domains[0].apps[0].ladder configures a ladder")]
    public void With_a_ladder_a_missing_ffmpeg_is_a_config_error(string ffmpeg, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(Rungs(Rung480), $"\"transcode\": {{ \"ffmpegPath\": \"{ffmpeg}\" }},"), "t.json"));

        Assert.Contains($"t.json: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_executable_is_no_ffmpeg()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(Rungs(Rung480), $"\"transcode\": {{ \"ffmpegPath\": \"{file}\" }},"), "t.json"));

            Assert.Contains($"t.json: $.transcode.ffmpegPath: '{file}' is not an executable file, and", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("{ \"maxConcurrent\": 0 }", "$.transcode.maxConcurrent: must be between 1 and 256")]
    [InlineData("{ \"maxConcurrent\": 257 }", "$.transcode.maxConcurrent: must be between 1 and 256")]
    [InlineData("{ \"ffmpegPath\": \"\" }", "$.transcode.ffmpegPath: must name ffmpeg: a program on PATH or an absolute path")]
    [InlineData("null", "$.transcode: must be an object")]
    public void A_bad_transcode_setting_is_refused(string transcode, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("{}", $"\"transcode\": {transcode},"), "t.json"));

        Assert.Contains($"t.json: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("600000", 600_000)]
    [InlineData("1200k", 1_200_000)]
    [InlineData("1200K", 1_200_000)]
    [InlineData("2.5M", 2_500_000)]
    public void Bit_rates_read_with_or_without_a_suffix(string text, long bits)
    {
        Assert.True(Bitrate.TryParse(text, out var parsed));
        Assert.Equal(bits, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("1.2.3M")]
    [InlineData("1e6")]
    [InlineData("12 k")]
    [InlineData("2.5m")]
    public void Text_that_is_no_bit_rate_is_refused(string text) => Assert.False(Bitrate.TryParse(text, out _));
}
