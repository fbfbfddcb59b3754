using Appliance.Auth.Tokens;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Auth;
using Appliance.Auth.Config;
using Appliance.Streaming.Streams;
using Appliance.Protocols.Http;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// The token checkers behind <see cref="AccessPolicy.CheckAsync"/>, with the IP, Referer and
/// X-Forwarded-For rules, plus the HLS session token. Input: byte 0 picks the scheme (Type A, B, C,
/// stream secret, hmac), byte 1 the action, protocol and whether IP/Referer rules apply; the rest is
/// UTF-8 lines: path, query, Referer, X-Forwarded-For, peer address, stream name. Every scheme runs
/// on a fixed clock at which its seeds are valid. Never throws; always completes synchronously.
/// </summary>
public sealed class AuthTarget : FuzzTarget
{
    public const string TextKey = "aliyuncdnexp1234";
    public const string StreamKey = "tencentkey123";
    public const string EdgeKey = "00112233445566778899aabbccddeeff";

    private static readonly (string Scheme, long Now)[] Schemes =
    [
        (AuthSchemes.TypeA, 1444435200),
        (AuthSchemes.TypeB, 1439596800),
        (AuthSchemes.TypeC, 1439596800),
        (AuthSchemes.StreamSecret, 1546308736),
        (AuthSchemes.Hmac, 1700000100),
    ];

    private static readonly byte[] SessionSecret = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");

    // One policy per scheme, without and with IP/Referer rules; built once, immutable and thread-safe.
    private static readonly AccessPolicy[] Policies = [.. Schemes.SelectMany(s => new[] { Policy(s.Scheme, s.Now, rules: false), Policy(s.Scheme, s.Now, rules: true) })];

    private static readonly HlsSessionToken[] SessionTokens = [.. Schemes.Select(s => new HlsSessionToken(SessionSecret, new FixedClock(s.Now)))];

    public override string Name => "auth";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Input(0, 0, "/video/standard/1K.html", "auth_key=1444435200-0-0-80cd3862d699b7118eed99103f2a3a4f");
        yield return Input(0, 0x10, "/live/cam1.flv", $"a=1&{TypeA("/live/cam1.flv", 1444435000, "r4nd", "user-1-x")}&b=2", "https://www.example.com/p");
        yield return Input(1, 0, "/201508150800/9044548ef1527deadafa49a890a377f0/4/44/44c0909bcfc20a01afaf256ca99a8b8b.mp3", null);
        yield return Input(1, 0x11, TypeB("/live/cam1", "201508150800"), null, "", "203.0.113.7", "127.0.0.1");
        yield return Input(2, 0, "/a37fa50a5fb8f71214b1e7c95ec7a1bd/55CE8100/test.flv", null);
        yield return Input(2, 0x04, "/test.flv", "sign=a37fa50a5fb8f71214b1e7c95ec7a1bd&t=55CE8100");
        yield return Input(3, 0x01, "/live/stream1", "txSecret=f48007f07b317e30607b3f85b3db4172&txTime=5C2ACC80", stream: "stream1");
        yield return Input(3, 0x11, "/live/stream1", "txTime=1546308736&txSecret=" + Md5(StreamKey + "stream1" + "1546308736"), stream: "stream1");
        yield return Input(4, 0, "/live/cam1.m3u8", "__token__=st=1700000000~exp=1700003600~acl=/live/*~hmac=9807d10349ed496996f0c225730dc2911b3187baed59ad712878b7fc2b1e2eb8");
        yield return Input(4, 0x10, "/live/cam1/seg7.ts", "__token__=ip=203.0.113.7~exp=1700003600~acl=/live/cam1*~hmac=26162dab43a6fb9510602e3d0e04dd4df0226f3c759609f8f27168915f20b0f1",
            "https://a.example.org/", "203.0.113.7", "127.0.0.1");
        yield return Input(4, 0, "/live/cam1.m3u8", "__token__=exp=1700003600~hmac=6d8516e18e902b428e6389c639e4a88319ec48738d9916748ba2f5c12c97294e", peer: "203.0.113.7");
        yield return Input(4, 0x02, "/live/cam1.m3u8", "__token__=exp=1700003600~id=viewer42~data=abc~hmac=ca98949ce2a5e23ef2839d65a4c2c59f16f079fbe915869db3da49136c993903");
        var pathToken = Edge("exp=1700003600~acl=/live/*!/vod/*").Replace("/", "%2F", StringComparison.Ordinal);
        yield return Input(4, 0x06, $"/__token__={pathToken}/live/cam1.m3u8", null);
        var session = SessionTokens[4].Issue(new StreamKey("default", "live", "cam1"), 60);
        yield return Input(4, 0x06, "/live/cam1/seg3.ts", $"{HlsSessionToken.ParameterName}={session}", stream: "cam1");
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. new[]
        {
            "\n", "/", "?", "&", "=", "~", "!", "*", "%", "%2F", "%7E", "%00", "%zz", "-", ".", "..", ":", ",", "[", "]",
            "auth_key=", "sign=", "t=", "txSecret=", "txTime=", "__token__=", "/__token__=", "hls_session=", "ip=", "st=", "exp=", "acl=", "id=", "data=", "hmac=",
            "0123456789abcdef0123456789abcdef", "201508150800", "55CE8100", "5C2ACC80", "1700003600", "9999999999999999999",
            "127.0.0.1", "::1", "203.0.113.7", "192.0.2.1", "::ffff:192.0.2.1", "[::1]:80", "example.com", ".example.org", "https://",
            "\u00e9", "\ud83d\ude00", "\u0000",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (Parse(input) is not var (scheme, policy, request))
        {
            return;
        }
        var path = request.Path;
        var query = request.Query;
        var check = policy.CheckAsync(request);
        FuzzInvariantException.Check(check.IsCompletedSuccessfully, "a hashing scheme did not complete synchronously");
        var result = check.Result;
        Feedback.Note("result", ((long)scheme << 16) | ((long)result.Reason << 1) | (result.Allowed ? 1L : 0));
        Feedback.Note("detail", (long)Fnv.Hash(result.Detail));
        if (result.Allowed && result.StripLength > 0)
        {
            FuzzInvariantException.Check(result.StripStart >= 0 && result.StripStart + result.StripLength <= path.Length,
                $"token span: marked at {result.StripStart}+{result.StripLength} in a path of {path.Length} chars");
        }
        var realPath = result.RealPath(path);
        FuzzInvariantException.Check(realPath.Length <= path.Length || realPath == "/", "RealPath lengthened the path");
        _ = policy.IsOpen(request.Action);
        Feedback.Note("prefix", AuthPathPrefix.TryStrip(path, out _) ? 1 : 0);
        var valid = SessionTokens[scheme].IsValid(HttpQuery.Get(query, HlsSessionToken.ParameterName), new StreamKey("default", "live", request.Stream));
        Feedback.Note("session", valid ? 1 : 0);
    }

    /// <summary>The policy's answer to an input and whether it carries a valid HLS session token (checked before the policy).</summary>
    public static (AuthResult Result, bool Session) Check(byte[] input) =>
        Parse(input) is var (scheme, policy, request)
            ? (policy.CheckAsync(request).Result, SessionTokens[scheme].IsValid(HttpQuery.Get(request.Query, HlsSessionToken.ParameterName), new StreamKey("default", "live", request.Stream)))
            : default;

    // The request an input describes, with the client address resolved as the session does.
    private static (int Scheme, AccessPolicy Policy, AuthRequest Request)? Parse(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return null;
        }
        var scheme = input[0] % Schemes.Length;
        var flags = input[1];
        var policy = Policies[(scheme * 2) + ((flags & 0x10) != 0 ? 1 : 0)];
        var lines = Encoding.UTF8.GetString(input[2..]).Split('\n');
        string? Line(int i) => i < lines.Length ? lines[i] : null;
        var path = Line(0) ?? "/";
        var peer = IPAddress.TryParse(Line(4) ?? "", out var parsed) ? parsed : IPAddress.Loopback;
        var request = new AuthRequest
        {
            Action = (flags & 1) != 0 ? AuthAction.Publish : AuthAction.Play,
            Protocol = (AuthProtocol)((flags >> 1 & 7) % 5),
            Domain = "default",
            App = "live",
            Stream = Line(5) ?? StreamOf(path),
            Path = path,
            Query = Line(1) is { Length: > 0 } query ? query : null,
            ClientIp = policy.ResolveClientIp(peer, Line(3)),
            Referer = Line(2) is { Length: > 0 } referer ? referer : null,
        };
        return (scheme, policy, request);
    }

    /// <summary>What <see cref="Run"/> reads, from its parts.</summary>
    public static byte[] Input(int scheme, byte flags, string path, string? query, string? referer = null, string? forwardedFor = null, string? peer = null, string? stream = null)
    {
        var text = string.Join('\n', new[] { path, query ?? "", referer ?? "", forwardedFor ?? "", peer ?? "", stream ?? StreamOf(path) });
        return [(byte)scheme, flags, .. Encoding.UTF8.GetBytes(text)];
    }

    private static string StreamOf(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.');
        return dot >= 0 ? name[..dot] : name;
    }

    private static AccessPolicy Policy(string scheme, long now, bool rules)
    {
        var rule = new AuthRule
        {
            Scheme = scheme,
            Key = scheme == AuthSchemes.Hmac ? EdgeKey : scheme == AuthSchemes.StreamSecret ? StreamKey : TextKey,
            BackupKey = scheme == AuthSchemes.Hmac ? "ffeeddccbbaa99887766554433221100" : "backup-key",
            TtlSeconds = 1800,
            GraceSeconds = 30,
        };
        var config = new AuthConfig { Publish = rule, Play = rule };
        if (rules)
        {
            config.Ip.Deny = ["192.0.2.0/24", "2001:db8::/32"];
            config.Referer.Allow = ["example.com", "*.example.org"];
            config.Referer.AllowEmpty = true;
            config.TrustedProxies = ["127.0.0.0/8", "::1/128"];
        }
        return AccessPolicy.Create(config, new FixedClock(now));
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static string TypeA(string path, long time, string rand, string uid) =>
        $"auth_key={time}-{rand}-{uid}-{Md5($"{path}-{time}-{rand}-{uid}-{TextKey}")}";

    private static string TypeB(string path, string utc8) => $"/{utc8}/{Md5(TextKey + utc8 + path)}{path}";

    private static string Edge(string fields) =>
        $"{fields}~hmac={Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(EdgeKey), Encoding.UTF8.GetBytes(fields)))}";

    private sealed class FixedClock(long unixSeconds) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
    }
}
