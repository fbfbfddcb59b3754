using Appliance.Node.Hosting;
using Appliance.Node.Metrics;
using Appliance.Node.Tests.ControlSocket;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Metrics;

public sealed class NodeMetricsTests
{
    [Fact]
    public async Task The_exposition_of_an_idle_node_is_valid_prometheus_text_with_the_promised_families()
    {
        await using var node = await ControlHarness.StartAsync();

        var text = System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(node.Server));
        var metrics = PrometheusText.Parse(text);

        foreach (var family in new[]
        {
            "appliance_connections", "appliance_viewers", "appliance_received_bytes_total", "appliance_sent_bytes_total",
            "appliance_stream_ingest_bits_per_second", "appliance_stream_viewers", "appliance_segment_cache_hits_total",
            "appliance_segment_cache_misses_total", "appliance_segment_cache_bytes", "appliance_auth_refused_total",
            "appliance_upstream_up", "appliance_gc_collections_total", "appliance_gc_allocated_bytes_total",
            "appliance_threadpool_queue_length", "process_resident_memory_bytes",
        })
        {
            Assert.True(metrics.Types.ContainsKey(family), $"no {family} family in:\n{text}");
        }
        Assert.Equal(0, metrics.Value("appliance_viewers", "protocol=\"rtmp\""));
        Assert.Equal(0, metrics.Value("appliance_viewers", "protocol=\"hls\""));
        Assert.Equal(1, metrics.Value("appliance_build_info", $"version=\"{Appliance.Node.Hosting.ServerContext.Version}\",node=\"{node.Server.Context.NodeId}\",role=\"origin\""));
        Assert.True(metrics.Value("appliance_gc_allocated_bytes_total") > 0);
    }

    [Fact]
    public async Task Per_stream_labels_are_bounded_and_the_rest_is_summed_under_other()
    {
        await using var node = await ControlHarness.StartAsync();
        node.Server.Context.Config.Admin.MaxStreamLabels = 3;
        var app = node.Server.Context.Config.Domains[0].Apps[0];
        for (var i = 0; i < 10; i++)
        {
            node.Server.Context.Streams.TryPublish(new Appliance.Streaming.Streams.StreamKey("default", "live", $"s{i}"), app, new TestSource(), out _);
        }

        var metrics = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(node.Server)));

        var streams = metrics.Series("appliance_stream_ingest_bits_per_second").Keys.ToList();
        Assert.Equal(4, streams.Count);
        Assert.Contains("stream=\"_other\"", streams);
        Assert.Equal(10, metrics.Value("appliance_streams"));
        // Three labelled streams and _other, each with rtmp, http-flv, http-ts and hls.
        Assert.Equal(4 * 4, metrics.Series("appliance_stream_viewers").Count);
    }

    [Fact]
    public void Label_values_from_clients_are_escaped()
    {
        var writer = new PrometheusWriter();
        writer.Family("x", "gauge", "help with \\ and\nnewline");
        writer.Sample("x", 1.5, ("stream", "a\"b\\c\nd}e"));

        var text = writer.ToString();
        var parsed = PrometheusText.Parse(text);

        Assert.Equal("# HELP x help with \\\\ and\\nnewline\n# TYPE x gauge\nx{stream=\"a\\\"b\\\\c\\nd}e\"} 1.5\n", text);
        Assert.Equal(1.5, parsed.Value("x", "stream=\"a\\\"b\\\\c\\nd}e\""));
    }

    [Theory]
    [InlineData("# TYPE x gauge\nx 1\n", "TYPE must follow the HELP")]
    [InlineData("# HELP x h\n# TYPE x counter\nx 1\n", "ends in _total")]
    [InlineData("# HELP x h\n# TYPE x gauge\nx 1\nx 2\n", "series repeated")]
    [InlineData("# HELP x h\n# TYPE x gauge\ny 1\n", "outside its family")]
    [InlineData("# HELP x h\n# TYPE x gauge\nx one\n", "bad value")]
    [InlineData("# HELP x h\n# TYPE x gauge\nx{a=b} 1\n", "malformed labels")]
    [InlineData("# HELP x h\n# TYPE x gauge\nx 1", "end with a newline")]
    public void The_format_checker_itself_rejects_what_prometheus_would(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
