using Appliance.Transport.Accounting;

namespace Appliance.Streaming.Tests.Metrics;

/// <summary>Connections the node opens itself (pulls, pushes) in the traffic counters: counted while open, kept once closed.</summary>
public sealed class OutboundTrafficTests
{
    private static readonly int Upstream = TrafficTotals.IndexOf(TrafficTotals.Upstream);
    private static readonly int Push = TrafficTotals.IndexOf(TrafficTotals.Push);

    [Fact]
    public void An_open_connection_shows_its_bytes_as_they_grow_and_keeps_them_once_closed()
    {
        var traffic = new TrafficTotals();
        var pull = new Connection(TrafficTotals.Upstream);
        traffic.OnOpened(pull);

        pull.Received = 1_000;
        pull.Sent = 10;
        var early = traffic.Snapshot([]);
        pull.Received = 5_000;
        pull.Sent = 20;
        var later = traffic.Snapshot([]);
        var closed = traffic.OnClosed(pull);
        var after = traffic.Snapshot([]);

        Assert.Equal((1_000L, 10L), (early.In[Upstream], early.Out[Upstream]));
        Assert.Equal((5_000L, 20L), (later.In[Upstream], later.Out[Upstream]));
        Assert.Equal((5_000L, 20L), closed);
        Assert.Equal((5_000L, 20L), (after.In[Upstream], after.Out[Upstream]));
        Assert.Equal(0, traffic.OpenOutbound);
    }

    [Fact]
    public void Closing_twice_counts_once_and_each_listener_keeps_its_own_figures()
    {
        var traffic = new TrafficTotals();
        var pull = new Connection(TrafficTotals.Upstream) { Received = 700, Sent = 7 };
        var push = new Connection(TrafficTotals.Push) { Received = 30, Sent = 9_000 };
        traffic.OnOpened(pull);
        traffic.OnOpened(push);

        traffic.OnClosed(pull);
        traffic.OnClosed(pull);
        var snapshot = traffic.Snapshot([]);

        Assert.Equal((700L, 7L), (snapshot.In[Upstream], snapshot.Out[Upstream]));
        Assert.Equal((30L, 9_000L), (snapshot.In[Push], snapshot.Out[Push]));
        Assert.Equal(1, traffic.OpenOutbound);
        Assert.Equal(0, snapshot.In[TrafficTotals.IndexOf("rtmp")] + snapshot.Out[TrafficTotals.IndexOf("http")]);
    }

    private sealed class Connection(string listener) : IConnectionTraffic
    {
        public string Listener => listener;

        public long BytesIn => Received;

        public long BytesOut => Sent;

        public long Received { get; set; }

        public long Sent { get; set; }
    }
}
