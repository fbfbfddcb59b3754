using Appliance.Relay.Config;
using System.Diagnostics;
using System.Globalization;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests.Directory;

/// <summary>The directory against a real redis-server: registration, renewal, removal, lookups, and Redis failing.</summary>
public sealed class StreamDirectoryTests
{
    private const string Entry = "upper-b rtmp://10.1.2.3:1935/live";

    [RedisFact]
    public async Task A_published_stream_is_registered_with_a_ttl_and_removed_when_its_publisher_leaves()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address, ttlMs: 15_000);
        node.Directory.Start();

        var (stream, source) = node.Publish("cam");

        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);
        var ttl = long.Parse(await redis.CliAsync("PTTL", node.RedisKey("cam")), CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, 15_000);
        await Eventually.WaitAsync(() => node.Directory.Registered == 1 && node.Directory.IsUp, "one stream registered, directory up");

        stream.DetachSource(source);

        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), "");
        await Eventually.WaitAsync(() => node.Directory.Registered == 0, "nothing registered");
    }

    [RedisFact]
    public async Task Pulled_streams_are_not_registered_only_published_ones()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address);
        node.Directory.Start();

        node.Publish("pulled", new PulledSource());
        node.Publish("cam");

        // The round that registered "cam" saw "pulled" too.
        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);
        Assert.Equal("0", await redis.CliAsync("EXISTS", node.RedisKey("pulled")));
        // The count is noted once Redis has acknowledged the whole round, a moment after the value shows.
        await Eventually.WaitAsync(() => node.Directory.Registered == 1, "the round noted with one stream");
    }

    [RedisFact]
    public async Task Streams_pushed_further_up_are_left_to_the_node_they_are_pushed_to()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address);
        node.Directory.Start();

        node.Publish("pushed", app: new RelayAppConfig { PublisherGraceMs = 0, Push = ["rtmp://upper/live"] });
        node.Publish("cam");

        // The round that registered "cam" saw "pushed" too.
        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);
        Assert.Equal("0", await redis.CliAsync("EXISTS", node.RedisKey("pushed")));
        // The count is noted once Redis has acknowledged the whole round, a moment after the value shows.
        await Eventually.WaitAsync(() => node.Directory.Registered == 1, "the round noted with one stream");
    }

    [RedisFact]
    public async Task Entries_are_renewed_before_their_ttl_runs_out()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address, ttlMs: 3_000);
        node.Directory.Start();
        node.Publish("cam");
        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);

        // Over three TTLs the entry never lapses, and its TTL goes back up at each renewal.
        var renewals = 0;
        var last = long.MaxValue;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 9_000)
        {
            var ttl = long.Parse(await redis.CliAsync("PTTL", node.RedisKey("cam")), CultureInfo.InvariantCulture);
            Assert.True(ttl > 0, $"the entry lapsed (PTTL {ttl}) after {clock.ElapsedMilliseconds} ms");
            if (ttl > last)
            {
                renewals++;
            }
            last = ttl;
            await Task.Delay(100);
        }
        Assert.True(renewals >= 3, $"only {renewals} renewals in 9 s with a 3 s TTL");
    }

    [RedisFact]
    public async Task A_stream_that_another_node_took_over_keeps_that_nodes_entry_when_it_ends_here()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address);
        node.Directory.Start();
        var (stream, source) = node.Publish("cam");
        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);
        await redis.CliAsync("SET", node.RedisKey("cam"), "upper-a rtmp://10.1.2.4:1935/live");

        stream.DetachSource(source);

        await Eventually.WaitAsync(() => node.Directory.Registered == 0, "the removal round done");
        Assert.Equal("upper-a rtmp://10.1.2.4:1935/live", await redis.CliAsync("GET", node.RedisKey("cam")));
    }

    [RedisFact]
    public async Task A_node_that_stops_removes_its_entries()
    {
        await using var redis = await RedisServer.StartAsync();
        var node = new DirectoryHarness(redis.Address);
        try
        {
            node.Directory.Start();
            node.Publish("cam");
            node.Publish("cam2");
            await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam2"), Entry);
            await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);
        }
        finally
        {
            await node.DisposeAsync();
        }

        Assert.Equal("0", await redis.CliAsync("EXISTS", node.RedisKey("cam"), node.RedisKey("cam2")));
    }

    [RedisFact]
    public async Task Lookups_return_other_nodes_and_ignore_this_node_loops_and_garbage()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address, nodeId: "edge-1", advertise: "");
        node.Directory.Start();
        await Eventually.WaitAsync(() => node.Directory.IsUp, "connected");
        await redis.CliAsync("SET", node.RedisKey("cam"), "upper-b http://10.1.2.3:8080/{app}/{stream}.flv");
        await redis.CliAsync("SET", node.RedisKey("mine"), "EDGE-1 rtmp://10.1.2.9:1935/live");
        await redis.CliAsync("SET", node.RedisKey("bad"), "upper-b javascript:alert(1)\u0007");

        var found = await node.Directory.LookupAsync(DirectoryHarness.Key("cam"), []);
        var viaB = await node.Directory.LookupAsync(DirectoryHarness.Key("cam"), ["middle-1", "upper-b"]);
        var mine = await node.Directory.LookupAsync(DirectoryHarness.Key("mine"), []);
        var bad = await node.Directory.LookupAsync(DirectoryHarness.Key("bad"), []);
        var none = await node.Directory.LookupAsync(DirectoryHarness.Key("none"), []);

        Assert.NotNull(found);
        Assert.Equal("upper-b", found.Node);
        Assert.Equal("http://10.1.2.3:8080/{app}/{stream}.flv", found.Url.ToString());
        Assert.Null(viaB);
        Assert.Null(mine);
        Assert.Null(bad);
        Assert.Null(none);
        var line = Assert.Single(node.Logs.Lines, l => l.Message.Contains("ignoring the entry of default/live/bad", StringComparison.Ordinal));
        Assert.Contains("has a URL that contains a control character", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', line.Message);
        Assert.True(node.Logs.Contains("directory: default/live/cam is at node upper-b"), node.Logs.Dump());
    }

    [RedisFact]
    public async Task A_hung_redis_costs_a_lookup_no_more_than_its_timeout()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new DirectoryHarness(redis.Address, nodeId: "edge-1", advertise: "", lookupTimeoutMs: 200);
        node.Directory.Start();
        await Eventually.WaitAsync(() => node.Directory.IsUp, "connected");
        await redis.CliAsync("SET", node.RedisKey("cam"), Entry);
        Assert.NotNull(await node.Directory.LookupAsync(DirectoryHarness.Key("cam"), []));

        await redis.PauseAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var during = await node.Directory.LookupAsync(DirectoryHarness.Key("cam"), []);
            var elapsed = clock.ElapsedMilliseconds;

            Assert.Null(during);
            Assert.True(elapsed < 1_000, $"a lookup against a hung Redis took {elapsed} ms");
            Assert.True(node.Logs.Contains("directory: lookup of default/live/cam failed: no answer within 200 ms"), node.Logs.Dump());
        }
        finally
        {
            await redis.ResumeAsync();
        }
        await Eventually.WaitAsync(() => node.Directory.LookupAsync(DirectoryHarness.Key("cam"), []).AsTask().Result is not null, "lookups work again");
    }

    [RedisFact]
    public async Task While_redis_is_down_lookups_fail_at_once_publishing_goes_on_and_a_restarted_redis_gets_every_entry_back()
    {
        var redis = await RedisServer.StartAsync();
        var port = redis.Port;
        await using var node = new DirectoryHarness(redis.Address);
        node.Directory.Start();
        node.Publish("cam");
        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry);

        await redis.DisposeAsync();
        await Eventually.WaitAsync(() => !node.Directory.IsUp, "the directory noticed Redis is gone");
        var clock = Stopwatch.StartNew();
        var lookup = await node.Directory.LookupAsync(DirectoryHarness.Key("cam"), []);
        var elapsed = clock.ElapsedMilliseconds;
        node.Publish("cam2");

        Assert.Null(lookup);
        Assert.True(elapsed < 50, $"a lookup while Redis is known to be down took {elapsed} ms");
        await Eventually.WaitAsync(() => node.Logs.Contains($"directory: redis 127.0.0.1:{port} is unreachable"), "the disconnection logged");

        // A Redis that comes back empty (no persistence) gets both entries again without waiting for the renewal.
        await using var again = await RedisServer.StartAsync(port);
        await RedisConditions.UntilValueAsync(again, node.RedisKey("cam"), Entry, TimeSpan.FromSeconds(20));
        await RedisConditions.UntilValueAsync(again, node.RedisKey("cam2"), "upper-b rtmp://10.1.2.3:1935/live");
        await Eventually.WaitAsync(() => node.Directory.IsUp && node.Directory.Registered == 2, "up with two streams registered");
        Assert.True(node.Logs.Lines.Count(l => l.Message.Contains("is unreachable", StringComparison.Ordinal)) <= 2, node.Logs.Dump());
    }

    [RedisFact]
    public async Task A_node_started_before_redis_registers_once_redis_is_there()
    {
        await using var first = await RedisServer.StartAsync();
        var port = first.Port;
        await first.StopAsync();
        await using var node = new DirectoryHarness($"127.0.0.1:{port}");
        node.Directory.Start();
        node.Publish("cam");
        Assert.False(node.Directory.IsUp);

        await using var redis = await RedisServer.StartAsync(port);

        await RedisConditions.UntilValueAsync(redis, node.RedisKey("cam"), Entry, TimeSpan.FromSeconds(20));
        await Eventually.WaitAsync(() => node.Directory.IsUp, "the directory up");
    }
}
