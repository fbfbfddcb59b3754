using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tls;

/// <summary>
/// appliance-load's players over TLS (what perf/tls-cost.sh measures with): HTTPS-FLV, HTTPS HLS and
/// RTMPS viewers trusting the test CA through --ca play the node's stream; without --ca the
/// certificate is refused and every viewer fails with the reason.
/// </summary>
public sealed class TlsLoadToolTests(TlsFixture tls) : IClassFixture<TlsFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Https_flv_hls_and_rtmps_viewers_trusting_the_test_ca_play_without_a_failure()
    {
        var (run, report) = await LoadAsync("--url", tls.HttpsUrl("live/cam.flv"), "--url", tls.HttpsUrl("live/cam.m3u8"), "--url", tls.RtmpsUrl("live/cam"),
            "--viewers", "6", "--duration", "8", "--ca", tls.Ca.CaPath);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        var total = report.GetProperty("total");
        Assert.Equal(6, total.GetProperty("made").GetInt32());
        Assert.Equal(0, total.GetProperty("failed").GetInt32() + total.GetProperty("dropped").GetInt32());
        foreach (var target in report.GetProperty("targets").EnumerateArray())
        {
            Assert.True(target.GetProperty("figures").GetProperty("videoFrames").GetInt64() > 2 * 25 * 3, target.ToString());
        }
    }

    [Fact]
    public async Task Without_the_test_ca_every_viewer_fails_with_the_refused_certificate()
    {
        var (run, report) = await LoadAsync("--url", tls.HttpsUrl("live/cam.flv"), "--url", tls.RtmpsUrl("live/cam"), "--viewers", "2", "--duration", "3");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, report.GetProperty("total").GetProperty("failed").GetInt32());
        Assert.Contains("certificate refused: it does not chain to the system CA store", run.Stdout + run.Stderr + report, StringComparison.Ordinal);
    }

    private static async Task<(ExternalProcess Run, JsonElement Report)> LoadAsync(params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), $"appliance-load-{Guid.NewGuid():N}.json");
        try
        {
            var run = await ExternalProcess.RunAsync(RunTimeout, RepoPaths.LoadTool, [.. args, "--json-file", json]);
            Assert.True(File.Exists(json), $"no JSON report; exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            return (run, report.RootElement.Clone());
        }
        finally
        {
            File.Delete(json);
        }
    }
}
