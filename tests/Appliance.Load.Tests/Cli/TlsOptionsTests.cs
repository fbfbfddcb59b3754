using Appliance.Load.Cli;
using Appliance.Load.Targets;

namespace Appliance.Load.Tests.Cli;

public class TlsOptionsTests
{
    [Theory]
    [InlineData("rtmps://127.0.0.1/live/cam", "Rtmp", 443, "rtmps://127.0.0.1/live")]
    [InlineData("rtmps://127.0.0.1:1936/live/cam", "Rtmp", 1936, "rtmps://127.0.0.1:1936/live")]
    [InlineData("https://127.0.0.1/live/cam.flv", "HttpFlv", 443, "rtmps://127.0.0.1/live")]
    [InlineData("https://127.0.0.1:8443/live/cam.m3u8", "Hls", 8443, "rtmps://127.0.0.1:8443/live")]
    public void Rtmps_and_https_urls_are_the_same_players_over_tls(string text, string protocol, int port, string tcUrl)
    {
        Assert.True(StreamUrl.TryParse(text, out var url, out var problem), problem);

        Assert.True(url.IsTls);
        Assert.Equal(Enum.Parse<StreamProtocol>(protocol), url.Protocol);
        Assert.Equal(port, url.Port);
        Assert.Equal(tcUrl, url.TcUrl);
    }

    [Fact]
    public void Plain_urls_are_not_tls_and_other_schemes_are_named_in_the_refusal()
    {
        Assert.True(StreamUrl.TryParse("rtmp://127.0.0.1/live/cam", out var url, out _));
        Assert.False(url.IsTls);
        Assert.Equal("rtmp://127.0.0.1/live", url.TcUrl);

        Assert.False(StreamUrl.TryParse("srt://127.0.0.1/live/cam", out _, out var problem));
        Assert.Equal("scheme 'srt' is not rtmp, rtmps, http or https", problem);
    }

    [Fact]
    public void Ca_takes_a_pem_file_of_certificates_and_the_system_store_is_the_default()
    {
        using var ca = new Appliance.Tests.Support.TestCertificates();

        var options = LoadOptions.Parse(["--url", "https://127.0.0.1:8443/live/cam.flv", "--ca", ca.CaPath]);

        Assert.Null(options.Error);
        Assert.Equal(ca.CaPath, options.Trust.CaFile);
        Assert.Null(options.Trust.PinSha256);
        Assert.Null(LoadOptions.Parse(["--url", "https://127.0.0.1/live/cam.flv"]).Trust.CaFile);
        Assert.StartsWith("--ca does not apply to --hostile", LoadOptions.Parse(["--hostile", "5", "--url", "http://127.0.0.1/live/cam.flv", "--ca", ca.CaPath]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--url", "https://127.0.0.1/live/cam.flv", "--ca" }, "--ca needs a value")]
    [InlineData(new[] { "--url", "https://127.0.0.1/live/cam.flv", "--ca", "/nonexistent/ca.pem" }, "--ca /nonexistent/ca.pem: cannot read the CA file: no such file")]
    [InlineData(new[] { "--hostile", "5", "--url", "https://127.0.0.1/live/cam.flv" }, "--url https://127.0.0.1/live/cam.flv: --hostile speaks plain rtmp:// and http:// only")]
    public void Bad_tls_options_are_refused_with_the_reason(string[] args, string error)
    {
        Assert.Equal(error, LoadOptions.Parse(args).Error);
    }

    [Fact]
    public void A_ca_file_without_certificates_is_refused_naming_the_file()
    {
        var empty = Path.Combine(Path.GetTempPath(), $"appliance-load-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(empty, "not a certificate\n");
        try
        {
            Assert.Equal($"--ca {empty}: no BEGIN CERTIFICATE block in the file", LoadOptions.Parse(["--url", "https://127.0.0.1/live/cam.flv", "--ca", empty]).Error);
        }
        finally
        {
            File.Delete(empty);
        }
    }
}
