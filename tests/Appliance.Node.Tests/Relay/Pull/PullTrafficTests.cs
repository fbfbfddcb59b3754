using System.Text.RegularExpressions;
using Appliance.Relay.Config;
using Appliance.Transport.Accounting;
using Appliance.Streaming.Streams;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Pull;

/// <summary>A pull's traffic as the node reports it: in the upstream counters as it flows, and an access line when the upstream session ends.</summary>
public sealed class PullTrafficTests
{
    private static readonly StreamKey Cam = new("default", "live", "cam");
    private static readonly int Upstream = TrafficTotals.IndexOf(TrafficTotals.Upstream);

    [Fact]
    public async Task A_pull_counts_its_bytes_while_it_flows_and_writes_an_access_line_when_the_parent_ends_it()
    {
        await using var parent = FlvUpstreamServer.Start();
        using var node = new TestServer(config => config.Domains[0].Apps[0].Upstreams =
            [new UpstreamConfig { Url = $"http://127.0.0.1:{parent.Port}/{{app}}/{{stream}}.flv" }]);
        await using var relay = Relays.For(node);
        var traffic = node.Context.Traffic;

        var stream = await relay.FindOrPullAsync(Cam, null, "test");
        Assert.NotNull(stream);
        await WaitForUpstreamBytesAsync(traffic, parent.BytesWritten, "the opening of the stream");
        var opened = traffic.Snapshot([]);
        await parent.SendFramesAsync(40, 50);
        await WaitForUpstreamBytesAsync(traffic, parent.BytesWritten, "50 more frames");
        var flowing = traffic.Snapshot([]);
        var openWhileFlowing = traffic.OpenOutbound;

        await parent.CloseAsync();
        var line = await WaitForLineAsync(node, "proto=pull-flv");

        Assert.Equal(1, openWhileFlowing);
        Assert.True(flowing.In[Upstream] >= opened.In[Upstream] + 50 * 300, $"{opened.In[Upstream]} then {flowing.In[Upstream]} bytes");
        Assert.Equal(parent.RequestBytes, flowing.Out[Upstream]);
        var fields = Regex.Match(line, @"proto=pull-flv client=127\.0\.0\.1:(\d+) stream=default/live/cam status=error in=(\d+) out=(\d+) duration=[\d.]+s reason=""upstream ended the stream""");
        Assert.True(fields.Success, line);
        Assert.Equal(parent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), fields.Groups[1].Value);
        Assert.Equal(parent.BytesWritten, long.Parse(fields.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parent.RequestBytes, long.Parse(fields.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
        // The finished session's bytes stay in the counters.
        Assert.True(traffic.Snapshot([]).In[Upstream] >= parent.BytesWritten);
    }

    private static Task WaitForUpstreamBytesAsync(TrafficTotals traffic, long bytes, string what) =>
        Eventually.WaitAsync(() => traffic.Snapshot([]).In[Upstream] >= bytes, $"{bytes} upstream bytes counted after {what}");

    private static async Task<string> WaitForLineAsync(TestServer node, string text)
    {
        await Eventually.WaitAsync(() => node.Logs.Contains(text), $"a log line with {text}");
        return node.Logs.Lines.First(l => l.Message.Contains(text, StringComparison.Ordinal)).Message;
    }
}
