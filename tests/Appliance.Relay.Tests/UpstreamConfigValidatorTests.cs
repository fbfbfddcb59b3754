using Appliance.Relay.Config;
using Appliance.Relay;

namespace Appliance.Relay.Tests;

public sealed class UpstreamConfigValidatorTests
{
    private static List<string> Problems(IReadOnlyList<UpstreamConfig?>? upstreams)
    {
        var problems = new List<string>();
        UpstreamConfigValidator.Validate(upstreams, "domains[0].apps[0].upstreams", (ok, path, problem) =>
        {
            if (!ok)
            {
                problems.Add($"{path}: {problem}");
            }
        });
        return problems;
    }

    [Fact]
    public void AValidListHasNoProblems()
    {
        Assert.Empty(Problems([
            new UpstreamConfig { Url = "rtmp://parent-a/live", Priority = 0, Weight = 2, HealthUrl = "http://parent-a:8080/api/health", Name = "private line" },
            new UpstreamConfig { Url = "http://origin/{app}/{stream}.flv", Priority = 1, Weight = 0 },
        ]));
        Assert.Empty(Problems([]));
    }

    [Fact]
    public void EachProblemNamesItsKeyPath()
    {
        var problems = Problems([
            new UpstreamConfig { Url = "rtmpe://origin/live" },
            null,
            new UpstreamConfig { Url = "rtmp://parent/live", Weight = -1, Priority = 101, HealthUrl = "ftp://parent/health", Name = "" },
            new UpstreamConfig { Url = "RTMP://Parent:1935/live", Weight = 10_001, Priority = -1, Name = "tab\there" },
        ]);

        Assert.Equal(
            [
                "domains[0].apps[0].upstreams[0].url: rtmpe is not supported; use rtmp:// or rtmps://",
                "domains[0].apps[0].upstreams[1]: must be an object",
                "domains[0].apps[0].upstreams[2].weight: must be between 0 and 10000",
                "domains[0].apps[0].upstreams[2].priority: must be between 0 and 100",
                "domains[0].apps[0].upstreams[2].healthUrl: must start with http:// or https://",
                "domains[0].apps[0].upstreams[2].name: must be 1 to 100 characters without control characters",
                "domains[0].apps[0].upstreams[3].url: 'rtmp://parent:1935/live' is listed twice in this app",
                "domains[0].apps[0].upstreams[3].weight: must be between 0 and 10000",
                "domains[0].apps[0].upstreams[3].priority: must be between 0 and 100",
                "domains[0].apps[0].upstreams[3].name: must be 1 to 100 characters without control characters",
            ],
            problems);
    }

    [Fact]
    public void AnSrtCandidateTakesNoHealthUrlOrTlsTrust()
    {
        var problems = Problems([
            new UpstreamConfig { Url = "srt://parent:10080", HealthUrl = "http://parent/api/health" },
            new UpstreamConfig { Url = "srt://parent:10081?latency=600" },
            new UpstreamConfig { Url = "srt://parent" },
        ]);

        Assert.Equal(
            [
                "domains[0].apps[0].upstreams[0].healthUrl: is not used for srt:// URLs: they are probed over SRT",
                "domains[0].apps[0].upstreams[2].url: needs a port (srt://host:port; SRT has no default port)",
            ],
            problems);
    }

    [Fact]
    public void TheListItselfMustBeThereAndBounded()
    {
        Assert.Equal(["domains[0].apps[0].upstreams: must be an array"], Problems(null));

        var many = Enumerable.Range(0, 65).Select(i => (UpstreamConfig?)new UpstreamConfig { Url = $"rtmp://parent-{i}/live" }).ToList();
        Assert.Equal(["domains[0].apps[0].upstreams: lists more than 64 upstreams"], Problems(many));
    }

    [Fact]
    public void TlsUpstreamsTakeAReadableCaFileAndAPinOfSha256()
    {
        var dir = Path.Combine(Path.GetTempPath(), "appliance-cafile-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        try
        {
            using var ca = new Appliance.Tests.Support.TestCertificates();
            var empty = Path.Combine(dir, "empty.pem");
            File.WriteAllText(empty, "no certificates here\n");
            var pin = Convert.ToBase64String(new byte[32]);

            Assert.Empty(Problems([
                new UpstreamConfig { Url = "https://parent/{stream}.flv", CaFile = ca.CaPath, PinSha256 = pin },
                new UpstreamConfig { Url = "rtmps://parent/live", PinSha256 = "sha256//" + pin },
            ]));
            Assert.Equal(
                [
                    "domains[0].apps[0].upstreams[0].caFile: is only for https:// and rtmps:// URLs",
                    "domains[0].apps[0].upstreams[1].pinSha256: is only for https:// and rtmps:// URLs",
                    "domains[0].apps[0].upstreams[2].caFile: must be the absolute path of a PEM file of CA certificates",
                    $"domains[0].apps[0].upstreams[3].caFile: {dir}/none.pem: cannot read the CA file: no such file",
                    $"domains[0].apps[0].upstreams[4].caFile: {empty}: no BEGIN CERTIFICATE block in the file",
                    "domains[0].apps[0].upstreams[5].pinSha256: must be the base64 of a SHA-256 (44 characters, optionally after sha256//) of the certificate's public key",
                    "domains[0].apps[0].upstreams[6].pinSha256: must be the base64 of a SHA-256 (44 characters, optionally after sha256//) of the certificate's public key",
                    "domains[0].apps[0].upstreams[7].pinSha256: must be the base64 of a SHA-256 (44 characters, optionally after sha256//) of the certificate's public key",
                ],
                Problems([
                    new UpstreamConfig { Url = "http://parent/{stream}.flv", CaFile = ca.CaPath },
                    new UpstreamConfig { Url = "rtmp://parent/a", PinSha256 = pin },
                    new UpstreamConfig { Url = "https://parent/b/{stream}.flv", CaFile = "ca.pem" },
                    new UpstreamConfig { Url = "https://parent/c/{stream}.flv", CaFile = Path.Combine(dir, "none.pem") },
                    new UpstreamConfig { Url = "https://parent/d/{stream}.flv", CaFile = empty },
                    new UpstreamConfig { Url = "rtmps://parent/e", PinSha256 = Convert.ToHexString(new byte[32]) },
                    new UpstreamConfig { Url = "rtmps://parent/f", PinSha256 = Convert.ToBase64String(new byte[20]) },
                    new UpstreamConfig { Url = "rtmps://parent/g", PinSha256 = "sha1//" + pin },
                ]));
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }
}
