using Appliance.Benchmarks.Gates;
using Appliance.Auth.Tokens;
using System.Security.Cryptography;
using System.Text;
using Appliance.Auth;
using Appliance.Auth.Access;
using Appliance.Auth.Schemes;
using Appliance.Auth.Config;
using BenchmarkDotNet.Attributes;
using static Appliance.Benchmarks.Auth.AuthBenchFixture;

namespace Appliance.Benchmarks.Auth;

/// <summary>
/// One token check per operation, as every playlist and segment request pays it. The Md5/Hmac
/// baselines hash an input of the same size alone, so the difference is the checker's own cost
/// (parsing, hex, comparisons), which must stay well under a microsecond; allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
[ZeroAllocation]
public class AuthCheckBenchmarks
{
    private readonly byte[] _md5Input = Encoding.UTF8.GetBytes($"{Playlist}-{Now}-0-0-{Key}");
    private readonly byte[] _hmacInput = Encoding.UTF8.GetBytes($"st={Now}~exp={Now + 3600}~acl=/live/channel-42*");
    private readonly byte[] _hmacKey = Convert.FromHexString(HexKey);

    private TypeAChecker _typeA = null!;
    private TypeBChecker _typeB = null!;
    private TypeCChecker _typeC = null!;
    private StreamSecretChecker _streamSecret = null!;
    private HmacChecker _hmac = null!;
    private AccessPolicy _policy = null!;
    private RefererRule _referer = null!;
    private CidrSet _networks = null!;

    private AuthRequest _typeARequest;
    private AuthRequest _typeAExpired;
    private AuthRequest _typeATampered;
    private AuthRequest _typeBRequest;
    private AuthRequest _typeCQueryRequest;
    private AuthRequest _typeCPathRequest;
    private AuthRequest _streamSecretRequest;
    private AuthRequest _hmacQueryRequest;
    private AuthRequest _hmacPathRequest;
    private AuthRequest _hmacUrlRequest;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FixedClock();
        _typeA = new TypeAChecker(Key, "backup", 1800, clock);
        _typeB = new TypeBChecker(Key, "backup", 1800, clock);
        _typeC = new TypeCChecker(Key, "backup", 1800, "sign", "t", clock);
        _streamSecret = new StreamSecretChecker(Key, "backup", 0, "txSecret", "txTime", clock);
        _hmac = new HmacChecker(HexKey, null, 0, "__token__", clock);

        var authKey = $"{Now}-0-0-{Md5Hex($"{Playlist}-{Now}-0-0-{Key}")}";
        _typeARequest = Play(Playlist, $"vhost=x&auth_key={authKey}");
        var old = Now - 7200;
        _typeAExpired = Play(Playlist, $"auth_key={old}-0-0-{Md5Hex($"{Playlist}-{old}-0-0-{Key}")}");
        _typeATampered = Play(Playlist, $"auth_key={Now}-0-0-{new string('0', 32)}");

        // 2023-11-15 06:13 UTC+8 is 1699999980, 20 s before Now.
        _typeBRequest = Play($"/202311150613/{Md5Hex(Key + "202311150613" + Playlist)}{Playlist}", null);
        var hexTime = Now.ToString("X");
        _typeCQueryRequest = Play(Playlist, $"sign={Md5Hex(Key + Playlist + hexTime)}&t={hexTime}");
        _typeCPathRequest = Play($"/{Md5Hex(Key + Playlist + hexTime)}/{hexTime}{Playlist}", null);
        var expiry = (Now + 3600).ToString("X");
        _streamSecretRequest = Publish($"txSecret={Md5Hex(Key + "channel-42" + expiry)}&txTime={expiry}");

        var aclToken = $"st={Now}~exp={Now + 3600}~acl=/live/channel-42*";
        _hmacQueryRequest = Play(Playlist, $"__token__={aclToken}~hmac={HmacHex(aclToken)}");
        var segmentToken = $"exp={Now + 3600}~acl=/live/channel-42/*";
        var escaped = Uri.EscapeDataString($"{segmentToken}~hmac={HmacHex(segmentToken)}");
        _hmacPathRequest = Play($"/live/__token__={escaped}/channel-42/1700000000.ts", null);
        var urlFields = $"exp={Now + 3600}";
        _hmacUrlRequest = Play(Playlist, $"__token__={urlFields}~hmac={HmacHex($"{urlFields}~url={Playlist}")}");

        _policy = AccessPolicy.Create(
            new AuthConfig
            {
                Play = new AuthRule { Scheme = AuthSchemes.TypeA, Key = Key },
                Referer = new RefererAccessConfig { Allow = ["partner.net", "*.example.com", "example.org"], AllowEmpty = false },
                Ip = new IpAccessConfig { Deny = ["192.0.2.0/24", "198.51.100.0/24", "2001:db8:bad::/48"] },
            },
            clock);
        _referer = new RefererRule(["partner.net", "*.example.com", "example.org"], [], allowEmpty: false);
        _networks = CidrSet.Parse(["192.0.2.0/24", "198.51.100.0/24", "2001:db8:bad::/48", "2001:db8:1234::/48"]);

        foreach (var (name, allowed) in new[]
        {
            ("TypeA", TypeA()), ("TypeB", TypeB()), ("TypeCQuery", TypeCQuery()), ("TypeCPath", TypeCPath()),
            ("StreamSecret", StreamSecret()), ("HmacQueryAcl", HmacQueryAcl()), ("HmacPathElement", HmacPathElement()),
            ("HmacUrlMode", HmacUrlMode()), ("PolicyTypeA", PolicyIpRefererTypeA()),
        })
        {
            if (!allowed)
            {
                throw new InvalidOperationException($"{name}: the benchmark token does not pass, so the run would measure a refusal");
            }
        }
    }

    [Benchmark(Description = "MD5 of 70 B (baseline)")]
    public byte Md5Baseline()
    {
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(_md5Input, digest);
        return digest[0];
    }

    [Benchmark(Description = "HMAC-SHA256 of 56 B (baseline)")]
    public byte HmacBaseline()
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(_hmacKey, _hmacInput, digest);
        return digest[0];
    }

    [Benchmark]
    public bool TypeA() => _typeA.Check(_typeARequest).Allowed;

    [Benchmark]
    public bool TypeAExpired() => _typeA.Check(_typeAExpired).Allowed;

    [Benchmark]
    public bool TypeABadSignature() => _typeA.Check(_typeATampered).Allowed;

    [Benchmark]
    public bool TypeB() => _typeB.Check(_typeBRequest).Allowed;

    [Benchmark]
    public bool TypeCQuery() => _typeC.Check(_typeCQueryRequest).Allowed;

    [Benchmark]
    public bool TypeCPath() => _typeC.Check(_typeCPathRequest).Allowed;

    [Benchmark]
    public bool StreamSecret() => _streamSecret.Check(_streamSecretRequest).Allowed;

    [Benchmark]
    public bool HmacQueryAcl() => _hmac.Check(_hmacQueryRequest).Allowed;

    [Benchmark]
    public bool HmacPathElement() => _hmac.Check(_hmacPathRequest).Allowed;

    [Benchmark]
    public bool HmacUrlMode() => _hmac.Check(_hmacUrlRequest).Allowed;

    [Benchmark(Description = "Policy: IP deny + referer allow + TypeA")]
    public bool PolicyIpRefererTypeA()
    {
        var pending = _policy.CheckAsync(_typeARequest);
        return pending.IsCompletedSuccessfully && pending.Result.Allowed;
    }

    [Benchmark(Description = "Referer allow list, 3 patterns")]
    public bool Referer() => _referer.Permits(_typeARequest.Referer);

    [Benchmark(Description = "CIDR set, 4 networks, IPv6 client")]
    public bool Cidr() => _networks.Contains(Client);
}
