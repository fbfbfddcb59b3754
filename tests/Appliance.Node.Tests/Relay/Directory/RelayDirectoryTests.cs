using System.Diagnostics;
using Appliance.Relay.Config;
using Appliance.Relay.Directory;
using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Directory;

/// <summary>How pulls use the directory: which candidate its answer becomes, and what an app without upstreams does.</summary>
public sealed class RelayDirectoryTests
{
    private static readonly StreamKey Cam = new("default", "live", "cam");

    private static TestServer Node(string redis, params string[] upstreams) => new(config =>
    {
        config.Node.Id = "edge-1";
        config.Directory = new DirectoryConfig { Redis = redis, KeyPrefix = $"t{Guid.NewGuid():N}:" };
        config.Domains[0].Apps[0].Upstreams = [.. upstreams.Select(u => new UpstreamConfig { Url = u })];
    });

    [RedisFact]
    public async Task The_directory_answer_is_the_configured_candidate_with_that_url_or_one_of_its_own_kept_across_pulls()
    {
        await using var redis = await RedisServer.StartAsync();
        using var server = Node(redis.Address, "rtmp://127.0.0.1:1/live");
        await using var relay = Relays.For(server);
        relay.Directory!.Start();
        await Eventually.WaitAsync(() => relay.Directory.IsUp, "connected");
        var key = DirectoryEntry.KeyOf(server.Config.Directory.KeyPrefix, Cam);

        await redis.CliAsync("SET", key, "upper-a rtmp://127.0.0.1:1/live");
        var configured = await relay.FindInDirectoryAsync(Cam, []);
        await redis.CliAsync("SET", key, "upper-b rtmp://127.0.0.1:2/live");
        var unlisted = await relay.FindInDirectoryAsync(Cam, []);
        var again = await relay.FindInDirectoryAsync(Cam, []);

        Assert.Same(relay.Routes.Candidates("default", "live")[0], configured);
        Assert.NotNull(unlisted);
        Assert.Equal("rtmp://127.0.0.1:2/live", unlisted.Id);
        Assert.Equal("directory: upper-b", unlisted.Name);
        Assert.Same(unlisted, again);
    }

    [RedisFact]
    public async Task The_directory_answer_is_not_used_by_an_app_that_turned_it_off()
    {
        await using var redis = await RedisServer.StartAsync();
        using var server = Node(redis.Address, "rtmp://127.0.0.1:1/live");
        server.LiveApp.Pull.Directory = false;
        await using var relay = Relays.For(server);
        relay.Directory!.Start();
        await Eventually.WaitAsync(() => relay.Directory.IsUp, "connected");
        await redis.CliAsync("SET", DirectoryEntry.KeyOf(server.Config.Directory.KeyPrefix, Cam), "upper-b rtmp://127.0.0.1:2/live");

        Assert.Null(await relay.FindInDirectoryAsync(Cam, []));
    }

    [RedisFact]
    public async Task An_app_without_upstreams_waits_for_a_pull_but_a_stream_the_directory_does_not_know_is_not_found_at_once()
    {
        await using var redis = await RedisServer.StartAsync();
        using var server = Node(redis.Address);
        await using var relay = Relays.For(server);
        relay.Directory!.Start();
        await Eventually.WaitAsync(() => relay.Directory.IsUp, "connected");

        var mustWait = relay.MustWait(Cam, null);
        var clock = Stopwatch.StartNew();
        var stream = await relay.FindOrPullAsync(Cam, null, "test");

        Assert.True(mustWait);
        Assert.Null(stream);
        Assert.True(clock.ElapsedMilliseconds < server.LiveApp.Pull.WaitMs / 2, $"not found took {clock.ElapsedMilliseconds} ms");
        Assert.False(server.Logs.Contains("pull default/live/cam: started"), server.Logs.Dump());
        Assert.Null(server.Streams.FindForPlay(Cam));
    }

    [Fact]
    public async Task Without_a_directory_an_app_without_upstreams_does_not_pull()
    {
        using var server = new TestServer();
        await using var relay = Relays.For(server);

        Assert.Null(relay.Directory);
        Assert.False(relay.MustWait(Cam, null));
        Assert.Null(await relay.FindOrPullAsync(Cam, null, "test"));
    }
}
