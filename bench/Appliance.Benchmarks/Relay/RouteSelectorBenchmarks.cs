using Appliance.Benchmarks.Gates;
using Appliance.Relay.Urls;
using Appliance.Relay.Config;
using Appliance.Relay;
using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Relay;

/// <summary>
/// Ranking an app's upstream candidates for one stream, as every pull start and failover does:
/// 8 candidates in two priority classes with measured health (some equally good, some not, one
/// down). Must stay around a microsecond and allocate nothing in the span form.
/// </summary>
[MemoryDiagnoser]
public class RouteSelectorBenchmarks
{
    private const long Now = 1_000_000;

    private readonly StreamKey _key = new("play.example.com", "live", "channel-42_720p");
    private readonly RouteSelector _selector = new();
    private readonly RouteCandidate[] _ranked = new RouteCandidate[8];
    private readonly RouteSwitchState _switches = new();
    private RouteCandidate[] _candidates = null!;
    private UpstreamRoutes _routes = null!;

    [GlobalSetup]
    public void Setup()
    {
        (string Url, int Priority, double Rtt)[] table =
        [
            ("rtmp://parent-1.example.net/live", 0, 18),
            ("rtmp://parent-2.example.net/live", 0, 22),
            ("rtmp://parent-3.example.net/live", 0, 25),
            ("rtmp://parent-4.example.net/live", 0, 140),
            ("rtmp://10.1.0.5:1936/live", 0, 9),
            ("http://origin-a.example.com/{app}/{stream}.flv", 1, 60),
            ("http://origin-b.example.com/{app}/{stream}.flv", 1, 65),
            ("http://origin-c.example.com:8080/{app}/{stream}.flv", 1, 300),
        ];
        var configs = new List<UpstreamConfig>();
        _candidates = new RouteCandidate[table.Length];
        for (int i = 0; i < table.Length; i++)
        {
            UpstreamUrl.TryParse(table[i].Url, out var url, out _);
            var health = new CandidateHealth(null, static () => Now);
            health.RecordConnect(table[i].Rtt * 0.8);
            health.RecordRtt(table[i].Rtt);
            _candidates[i] = new RouteCandidate(url!, weight: 1 + i % 3, priority: table[i].Priority, health: health);
            configs.Add(new UpstreamConfig { Url = table[i].Url, Weight = 1 + i % 3, Priority = table[i].Priority });
        }
        for (int i = 0; i < 3; i++)
        {
            _candidates[4].Health.RecordFailure("connection refused");
        }
        _candidates[1].Health.RecordStall();
        _candidates[2].Health.RecordThroughput(250_000, mediaBytesPerSecond: 300_000);

        _routes = new UpstreamRoutes(clock: static () => Now);
        _routes.Update([new AppUpstreams(_key.Domain, _key.App, configs)]);
        _routes.NoteChoice(_key, _routes.Candidates(_key.Domain, _key.App)[3]);
    }

    [Benchmark(Description = "Hash the stream key (baseline)")]
    [ZeroAllocation]
    public ulong HashKey() => RouteSelector.HashKey(_key);

    [Benchmark(Description = "Rank 8 candidates into a span")]
    [ZeroAllocation]
    public RouteCandidate Rank()
    {
        _selector.Rank(_key, _candidates, Now, _ranked);
        return _ranked[0];
    }

    [Benchmark(Description = "UpstreamRoutes.Rank(key): lookup + new array")]
    public RouteCandidate RoutesRank() => _routes.Rank(_key)[0];

    [Benchmark(Description = "ShouldLeave, 8 candidates")]
    [ZeroAllocation]
    public bool ShouldLeave() => _selector.ShouldLeave(_switches, _candidates[3], _candidates, Now);
}
