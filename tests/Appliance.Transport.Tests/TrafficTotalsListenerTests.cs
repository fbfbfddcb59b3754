using Appliance.Transport.Accounting;

namespace Appliance.Transport.Tests;

public sealed class TrafficTotalsListenerTests
{
    [Fact]
    public void Every_listener_is_counted_under_its_own_label()
    {
        for (var i = 0; i < TrafficTotals.Listeners.Length; i++)
        {
            Assert.Equal(i, TrafficTotals.IndexOf(TrafficTotals.Listeners[i]));
        }
    }

    [Fact]
    public void An_srt_sessions_connections_and_bytes_are_srts_not_admins()
    {
        var traffic = new TrafficTotals();
        var srt = TrafficTotals.IndexOf("srt");

        traffic.OnAccepted("srt");
        traffic.OnRefused("srt");

        Assert.Equal("srt", TrafficTotals.Listeners[srt]);
        Assert.Equal((1L, 1L), (traffic.Accepted(srt), traffic.Refused(srt)));
        Assert.Equal((0L, 0L), (traffic.Accepted(TrafficTotals.IndexOf("admin")), traffic.Refused(TrafficTotals.IndexOf("admin"))));
    }
}
