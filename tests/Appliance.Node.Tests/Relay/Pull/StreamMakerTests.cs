using Appliance.Node.Tests.Support;
using Appliance.Relay;
using Appliance.Relay.Hosting;
using Appliance.Node.Config;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Pull;

/// <summary>
/// A stream the node makes itself (a ladder's rung) is waited for like an on-demand pull: the
/// viewer's request is held until the maker delivers it, or answered 404 when the maker says no.
/// </summary>
public sealed class StreamMakerTests
{
    private static readonly StreamKey Made = new("default", "live", "cam_480p");

    /// <summary>Makes "cam_480p" (a stream of the test node) after a moment, or declines.</summary>
    private sealed class DelayedMaker(TestServer server, bool declines = false) : IStreamMaker
    {
        private int _asked;

        public int Asked => Volatile.Read(ref _asked);

        public bool Makes(StreamKey key) => key == Made;

        public async ValueTask<LiveStream?> MakeAsync(StreamKey key, string client)
        {
            Interlocked.Increment(ref _asked);
            await Task.Delay(200);
            return declines ? null : server.PublishLive(key.Name, new Frames()).Stream;
        }
    }

    private static RelayManager RelayWith(TestServer server, IStreamMaker maker)
    {
        var relay = new RelayManager(Relays.Services(server) with { Maker = maker }, RelayApps.Of(server.Config), server.Config.Directory);
        server.Context.Relay = relay;
        return relay;
    }

    [Fact]
    public async Task A_viewer_of_a_stream_the_node_makes_waits_for_it_and_plays()
    {
        using var server = new TestServer();
        var maker = new DelayedMaker(server);
        await using var relay = RelayWith(server, maker);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        Assert.True(relay.MustWait(Made, null));
        var response = await client.RequestAsync("GET", "/live/cam_480p.flv", ct);

        Assert.Equal(200, response.Status);
        Assert.Equal(1, maker.Asked);
        Assert.Equal(1, server.Streams.FindForPlay(Made)!.ViewerCount);
    }

    [Fact]
    public async Task A_stream_the_maker_declines_is_404_and_other_names_are_not_asked_for()
    {
        using var server = new TestServer();
        var maker = new DelayedMaker(server, declines: true);
        await using var relay = RelayWith(server, maker);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var declined = await client.RequestAsync("GET", "/live/cam_480p.m3u8", ct);
        var other = await client.RequestAsync("GET", "/live/cam_720p.flv", ct);

        Assert.Equal(404, declined.Status);
        Assert.Equal(404, other.Status);
        Assert.Equal(1, maker.Asked);
        Assert.False(relay.MustWait(Made with { Name = "cam_720p" }, null));
    }

    [Fact]
    public async Task A_made_stream_that_ended_is_made_again_rather_than_served_as_ended()
    {
        using var server = new TestServer();
        var maker = new DelayedMaker(server);
        await using var relay = RelayWith(server, maker);
        var ended = server.PublishLive(Made.Name, new Frames()).Stream;
        ended.End();

        Assert.True(relay.MustWait(Made, ended));
        var again = await relay.FindOrPullAsync(Made, null, "test");

        Assert.NotNull(again);
        Assert.NotSame(ended, again);
        Assert.Equal(1, maker.Asked);
    }

    [Fact]
    public async Task A_live_made_stream_is_served_without_asking_the_maker()
    {
        using var server = new TestServer();
        var maker = new DelayedMaker(server);
        await using var relay = RelayWith(server, maker);
        var live = server.PublishLive(Made.Name, new Frames()).Stream;

        Assert.False(relay.MustWait(Made, live));
        Assert.Same(live, await relay.FindOrPullAsync(Made, null, "test"));
        Assert.Equal(0, maker.Asked);
    }
}
