using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

/// <summary>Hostile tokens are refused with a reason, never with an exception, whatever their shape.</summary>
public class MalformedTokenTests
{
    private const long Now = 1_700_000_000;
    private static readonly string Huge = new('9', 100_000);
    private static readonly ManualClock Clock = new(Now);

    private static readonly SyncTokenChecker[] Checkers =
    [
        new TypeAChecker("k", "b", 1800, Clock),
        new TypeBChecker("k", "b", 1800, Clock),
        new TypeCChecker("k", "b", 1800, "sign", "t", Clock),
        new StreamSecretChecker("k", "b", 0, "txSecret", "txTime", Clock),
        new HmacChecker("00ff", "ff00", 0, "__token__", Clock),
    ];

    public static TheoryData<string, string?, AuthRefusal> TypeACases => new()
    {
        { "/live/a.flv", "auth_key=", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=1700000000", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=1700000000-0-0", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=-0-0-80cd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=1700000000--0-80cd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=1700000000-0--80cd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=1700000000-0-0-80cd3862d699b7118eed99103f2a3a4", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=1700000000-0-0-zzcd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=+1700000000-0-0-80cd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=99999999999999999999-0-0-80cd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
        { "/live/a.flv", "auth_key=" + Huge, AuthRefusal.Malformed },
        { "/" + Huge, "auth_key=1700000000-0-0-80cd3862d699b7118eed99103f2a3a4f", AuthRefusal.Malformed },
    };

    [Theory]
    [MemberData(nameof(TypeACases))]
    public void TypeARefusesBadShapes(string path, string? query, AuthRefusal reason)
    {
        Assert.Equal(reason, Checkers[0].Check(Requests.Play(path, query)).Reason);
    }

    public static TheoryData<int, string, string?> OtherCases => new()
    {
        { 1, "/202311142213/0123456789abcdef0123456789abcdeg/a.flv", null },
        { 1, "/2023111422x3/0123456789abcdef0123456789abcdef/a.flv", null },
        { 2, "/a.flv", "sign=&t=" },
        { 2, "/a.flv", "sign=0123456789abcdef0123456789abcdef&t=" },
        { 2, "/a.flv", "sign=0123456789abcdef0123456789abcdef&t=xyz" },
        { 2, "/a.flv", "sign=0123456789abcdef0123456789abcdef&t=1234567890123456" },
        { 2, "/0123456789abcdef0123456789abcdeX/55CE8100/a.flv", null },
        { 2, "/0123456789abcdef0123456789abcdef/55CE810G/a.flv", null },
        { 3, "/live/a", "txSecret=&txTime=" },
        { 3, "/live/a", "txSecret=0123456789abcdef0123456789abcdef&txTime=-1" },
        { 3, "/live/a", "txSecret=0123456789abcdef0123456789abcdef&txTime=17000000000000000000" },
        { 3, "/live/a", "txSecret=xyz&txTime=5C2ACC80" },
        { 3, "/live/a", "txSecret=" + Huge + "&txTime=5C2ACC80" },
        { 4, "/live/a.m3u8", "__token__=" },
        { 4, "/live/a.m3u8", "__token__=~~~" },
        { 4, "/live/a.m3u8", "__token__=exp=1700000060~hmac=" },
        { 4, "/live/a.m3u8", "__token__=exp=1700000060~hmac=zz" + new string('0', 62) },
        { 4, "/live/a.m3u8", "__token__=exp=1700000060~acl=/\u00e9*~hmac=" + new string('0', 64) },
        { 4, "/live/a.m3u8", "__token__=" + Huge },
        { 4, "/live/__token__=/a.m3u8", null },
        { 4, "/" + Huge, "__token__=exp=1700000060~hmac=" + new string('0', 64) },
    };

    [Theory]
    [MemberData(nameof(OtherCases))]
    public void OtherSchemesRefuseBadShapesAsMalformed(int checker, string path, string? query)
    {
        var result = Checkers[checker].Check(Requests.Play(path, query));

        Assert.Equal(AuthRefusal.Malformed, result.Reason);
    }

    [Theory]
    [InlineData("/20231114221/0123456789abcdef0123456789abcdef/a.flv")]
    [InlineData("/2023111422130/0123456789abcdef0123456789abcdef/a.flv")]
    [InlineData("/202311142213/0123456789abcdef0123456789abcdef")]
    public void TypeBPathsOfTheWrongShapeCarryNoToken(string path)
    {
        Assert.Equal(AuthRefusal.MissingToken, Checkers[1].Check(Requests.Play(path)).Reason);
    }

    [Fact]
    public void RandomGarbageIsNeverAllowedAndNeverThrows()
    {
        var random = new Random(20240601);
        const string alphabet = "0123456789abcdefABCDEF-~=&/%?*!._ \u00e9\u2603";
        for (int i = 0; i < 3000; i++)
        {
            var path = "/" + Garbage(random, alphabet, random.Next(0, 120));
            var query = Garbage(random, alphabet, random.Next(0, 200));
            foreach (var name in new[] { "auth_key=", "sign=", "t=", "txSecret=", "txTime=", "__token__=" })
            {
                if (random.Next(3) == 0)
                {
                    query = name + query;
                }
            }
            foreach (var checker in Checkers)
            {
                var result = checker.Check(Requests.Play(path, query));
                Assert.False(result.Allowed, $"{checker.GetType().Name} allowed {path}?{query}");
                Assert.NotEqual(AuthRefusal.None, result.Reason);
            }
        }
    }

    private static string Garbage(Random random, string alphabet, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }
        return new string(chars);
    }
}
