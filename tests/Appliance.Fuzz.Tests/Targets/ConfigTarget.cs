using Appliance.Auth.Tokens;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Auth;
using Appliance.Auth.Config;
using Appliance.Node.Config;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// <see cref="ConfigLoader.Parse"/> on any text. A config it accepts must then be usable the way
/// ServerContext uses it (domain table, access policies with every checker, the session secret),
/// and the JSON the daemon prints for it (ToJson) must load again to the same config.
/// Refusal: <see cref="ConfigException"/>.
/// </summary>
public sealed partial class ConfigTarget : FuzzTarget, IStructuredMutator
{
    private static readonly TimeProvider Clock = new FixedClock();

    public override string Name => "config";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Utf8(ConfigLoader.ToJson(new ApplianceConfig()));
        yield return Utf8(ConfigLoader.ToJson(Full()));
        yield return Utf8("""
            // The smallest useful file: comments and trailing commas are allowed.
            {
              "rtmp": { "listen": "127.0.0.1:0", },
              "http": { "listen": "[::1]:0" },
              /* one domain, one app */
              "domains": [ { "name": "default", "apps": [ { "name": "live", "gopCache": false, }, ], }, ],
            }
            """);
        yield return Utf8("{}");
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } = BuildDictionary();

    public override bool IsExpected(Exception exception) => exception is ConfigException;

    public override void Run(ReadOnlySpan<byte> input)
    {
        var config = ConfigLoader.Parse(Encoding.UTF8.GetString(input), "fuzz");
        Feedback.NoteSize("domains", config.Domains.Count);

        // What ServerContext builds from an accepted config.
        var domains = new DomainTable(config);
        var policies = new AppPolicies(config.Domains.SelectMany(d => d.Apps).Select(a => a.Auth), Clock);
        var secret = config.Security.SessionSecret is { } hex ? Convert.FromHexString(hex) : null;
        _ = new HlsSessionToken(secret, Clock);
        foreach (var domain in config.Domains)
        {
            foreach (var app in domain.Apps)
            {
                var policy = policies.For(app.Auth);
                Feedback.Note("scheme", (long)Fnv.Hash(app.Auth.Publish.Scheme + "/" + app.Auth.Play.Scheme));
                Feedback.Note("open", policy.IsOpen(Appliance.Auth.Tokens.AuthAction.Play) ? 1 : 0);
                FuzzInvariantException.Check(domains.TryResolve(domain.Name, app.Name, out var found, out var foundApp),
                    $"domain lookup: app '{app.Name}' of domain '{domain.Name}' is not found by its own name");
                FuzzInvariantException.Check(ReferenceEquals(found, domain) && ReferenceEquals(foundApp, app), $"domain lookup: domain '{domain.Name}' finds another app '{foundApp?.Name}' of domain '{found?.Name}'");
            }
        }
        _ = domains.FindDomain("unknown.example.com:8080");
        _ = domains.FindDomain("[::1]:8080");

        // The daemon prints its config as JSON; what it prints must load again, unchanged.
        var json = ConfigLoader.ToJson(config);
        ApplianceConfig again;
        try
        {
            again = ConfigLoader.Parse(json, "round trip");
        }
        catch (ConfigException e)
        {
            throw new FuzzInvariantException($"round trip: an accepted config printed as JSON is refused: {e.Message}");
        }
        FuzzInvariantException.Check(ConfigLoader.ToJson(again) == json, "round trip: the config changed when printed and loaded again");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] InterestingValues =
    [
        "0", "-1", "1", "7", "8", "99", "100", "127", "128", "255", "256", "500", "1000", "1023", "1024", "65535", "65536", "65537", "1048576",
        "600000", "600001", "3600000", "2147483647", "-2147483648", "2147483648", "9223372036854775807", "1e20", "0.5", "-0", "true", "false",
        "null", "{}", "[]", "[null]", "[\"\"]", "\"\"", "\" \"", "\"x\"", "\"default\"", "\"live\"", "\"a/b\"", "\"a.b\"", "\"%\"",
        "\"none\"", "\"typeA\"", "\"typeB\"", "\"typeC\"", "\"streamSecret\"", "\"hmac\"", "\"callback\"", "\"refuse\"", "\"takeover\"",
        "\"trace\"", "\"warn\"", "\"0.0.0.0:0\"", "\"[::]:0\"", "\"[::1]:65535\"", "\"127.0.0.1:65536\"", "\"localhost:80\"", "\":80\"",
        "\"10.0.0.0/8\"", "\"10.0.0.1/33\"", "\"::/0\"", "\"fe80::1%eth0/64\"", "\"1.2.3\"", "\"*.example.com\"", "\"*\"", "\".\"",
        "\"http://127.0.0.1:9/\"", "\"https://[::1]/x?y\"", "\"ftp://x/\"", "\"http://\"", "\"/relative\"", "\"00112233445566778899aabbccddeeff\"",
        "\"0011223344556677889\"", "\"zz112233445566778899aabbccddeeff\"", "\"0g\"", "\"\\u0000\"", "\"\\ud800\"", "[\"a\",\"a\"]",
    ];

    /// <summary>Edits the JSON tree: values swapped for boundary values, keys added, removed or duplicated, subtrees copied.</summary>
    public byte[]? Mutate(byte[] input, Prng rng)
    {
        try
        {
            // As ConfigLoader sees it: UTF-8 decoded with replacement characters.
            return JsonNode.Parse(Encoding.UTF8.GetString(input), documentOptions: JsonOptions) is { } root ? Edit(root, rng) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or ArgumentException)
        {
            // JsonNode reads lazily and cannot take or write back everything the loader can refuse.
            return null;
        }
    }

    private byte[] Edit(JsonNode root, Prng rng)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var count = 1 << rng.Next(3);
        for (var i = 0; i < count; i++)
        {
            var node = rng.Pick(nodes);
            switch (rng.Next(6))
            {
                case 0:
                case 1:
                    Replace(node, JsonNode.Parse(rng.Pick(InterestingValues)));
                    break;
                case 2:
                    if (node.Parent is JsonObject owner)
                    {
                        owner.Remove(node.GetPropertyName());
                    }
                    else if (node.Parent is JsonArray array)
                    {
                        array.Remove(node);
                    }
                    break;
                case 3:
                    if (node.Parent is JsonArray list)
                    {
                        list.Add(node.DeepClone());
                    }
                    else if (node is JsonArray self && self.Count > 0)
                    {
                        self.Add(self[rng.Next(self.Count)]?.DeepClone());
                    }
                    break;
                case 4:
                    if (nodes.OfType<JsonObject>().ToList() is { Count: > 0 } objects)
                    {
                        var name = Encoding.UTF8.GetString(rng.Pick(Dictionary)).Trim('"');
                        if (name.Length > 0 && char.IsAsciiLetter(name[0]))
                        {
                            rng.Pick(objects)[name] = JsonNode.Parse(rng.Pick(InterestingValues));
                        }
                    }
                    break;
                default:
                    Replace(node, rng.Pick(nodes).DeepClone());
                    break;
            }
            nodes.Clear();
            Collect(root, nodes);
        }
        return Utf8(root.ToJsonString());

        static void Replace(JsonNode node, JsonNode? value)
        {
            if (node.Parent is JsonObject owner)
            {
                owner[node.GetPropertyName()] = value;
            }
            else if (node.Parent is JsonArray array)
            {
                array[node.GetElementIndex()] = value;
            }
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        if (node is JsonObject obj)
        {
            foreach (var (_, child) in obj)
            {
                if (child is not null)
                {
                    Collect(child, nodes);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                if (child is not null)
                {
                    Collect(child, nodes);
                }
            }
        }
    }

    // Every auth scheme, rules, aliases, several domains: the config surface in one file.
    private static ApplianceConfig Full()
    {
        var config = new ApplianceConfig();
        config.Rtmp.Listen = "[::]:1935";
        config.Rtmp.ChunkSize = 60000;
        config.Http.Listen = "0.0.0.0:8080";
        config.Log.Level = "debug";
        config.Security.SessionSecret = "00112233445566778899aabbccddeeff";
        var live = new AppConfig { Name = "live", OnPublisherConflict = "takeover", JoinBufferMs = 0, FlushIntervalMs = 50 };
        live.Auth.Publish = new AuthRule { Scheme = AuthSchemes.StreamSecret, Key = "tencentkey123", GraceSeconds = 60 };
        live.Auth.Play = new AuthRule { Scheme = AuthSchemes.Hmac, Key = "00112233445566778899aabbccddeeff", BackupKey = "ffeeddccbbaa99887766554433221100", TokenName = "tk" };
        live.Auth.Referer.Allow = ["example.com", "*.example.org"];
        live.Auth.Referer.AllowEmpty = false;
        live.Auth.Ip.Deny = ["192.0.2.0/24", "2001:db8::/32"];
        live.Auth.TrustedProxies = ["10.0.0.0/8"];
        live.Hls.TargetDurationMs = 4000;
        var a = new AppConfig { Name = "a" };
        a.Auth.Publish = new AuthRule { Scheme = AuthSchemes.TypeA, Key = "k", BackupKey = "k2", TtlSeconds = 60 };
        a.Auth.Play = new AuthRule { Scheme = AuthSchemes.TypeB, Key = "k" };
        var c = new AppConfig { Name = "c" };
        c.Auth.Publish = new AuthRule { Scheme = AuthSchemes.TypeC, Key = "k", SignName = "s", TimeName = "tm" };
        c.Auth.Play = new AuthRule { Scheme = AuthSchemes.Callback, CallbackUrl = "http://127.0.0.1:9/auth", CallbackTimeoutMs = 500, CallbackCacheSeconds = 0 };
        c.Auth.Ip.Allow = ["127.0.0.1/32", "::1/128"];
        config.Domains =
        [
            new DomainConfig { Name = "default", Apps = [live, a] },
            new DomainConfig { Name = "cdn.example.com", Aliases = ["edge.example.com", "203.0.113.7"], Apps = [c] },
        ];
        return config;
    }

    private static byte[][] BuildDictionary()
    {
        var names = PropertyName().Matches(ConfigLoader.ToJson(Full())).Select(m => m.Value).Distinct();
        string[] tokens =
        [
            "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1", "1e999", "2147483648", "-2147483649", "0.5", "\"\"", "//", "/*", "*/",
            "\\u0000", "\\ud800", "\"none\"", "\"typeA\"", "\"typeB\"", "\"typeC\"", "\"streamSecret\"", "\"hmac\"", "\"callback\"", "\"zz\"",
            "\"0.0.0.0:0\"", "\"[::]:1\"", "\"host:99999\"", "\"1.2.3.4/33\"", "\"::/0\"", "\"*.\"", "\"http://[::1]:0/\"", "\"ftp://x\"", "\"default\"",
            "{\"name\":\"x\"}", "[{}]", "[null]",
        ];
        return [.. names.Concat(tokens).Select(Utf8)];
    }

    [GeneratedRegex("\"[A-Za-z]+\"(?=:)")]
    private static partial Regex PropertyName();

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(1700000000);
    }
}
