using Appliance.Auth.Tokens;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Appliance.Auth;

namespace Appliance.Benchmarks.Auth;

/// <summary>Signed requests for the auth benchmarks, made the way a customer's signer would.</summary>
internal static class AuthBenchFixture
{
    public const long Now = 1_700_000_000;
    public const string Key = "0123456789abcdef-secret";
    public const string HexKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    public const string Playlist = "/live/channel-42_720p.m3u8";

    public static readonly IPAddress Client = IPAddress.Parse("2001:db8:1234::77");

    public static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public static string HmacHex(string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(HexKey), Encoding.UTF8.GetBytes(text)));

    public static AuthRequest Play(string path, string? query, string? referer = "https://www.example.com/watch?v=1") => new()
    {
        Action = AuthAction.Play,
        Protocol = AuthProtocol.Hls,
        Domain = "play.example.com",
        App = "live",
        Stream = "channel-42_720p",
        Path = path,
        Query = query,
        ClientIp = Client,
        Referer = referer,
    };

    public static AuthRequest Publish(string query) => new()
    {
        Action = AuthAction.Publish,
        Protocol = AuthProtocol.Rtmp,
        Domain = "push.example.com",
        App = "live",
        Stream = "channel-42",
        Path = "/live/channel-42",
        Query = query,
        ClientIp = Client,
    };

    /// <summary>The clock stands still so every token stays valid for the whole run.</summary>
    public sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Now);
    }
}
