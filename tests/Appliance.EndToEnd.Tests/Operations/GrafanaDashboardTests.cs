using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>
/// packaging/grafana/appliance-dashboard.json and the alert rules in docs/operations.md query only
/// metrics the daemon exports: their PromQL is checked against the families a running daemon's
/// /metrics declares.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    /// <summary>Series Prometheus makes itself for every target, which rules may use.</summary>
    private static readonly string[] PrometheusOwn = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static string DashboardPath => Path.Combine(RepoPaths.Root, "packaging", "grafana", "appliance-dashboard.json");

    /// <summary>
    /// A daemon with every kind of family switched on: a publisher and a viewer (stream families),
    /// an app with an upstream (route families) and a stream directory (its families appear only
    /// when directory.redis is set; nothing listens there, so it reports down). /metrics declares
    /// each family (HELP and TYPE) even while it has no samples, so the declared names are all of them.
    /// </summary>
    [Fact]
    public async Task Every_metric_the_dashboard_and_the_documented_alerts_query_is_exported_by_the_daemon()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(DashboardPath))!;
        var alerts = DocumentedAlertExpressions(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "operations.md")));
        var closedPort = Infrastructure.Tiers.FreePort();
        await using var daemon = await DaemonProcess.StartAsync(
            extraAppsJson: $"{{ \"name\": \"relayed\", \"upstreams\": [ {{ \"url\": \"rtmp://127.0.0.1:{closedPort}/live\" }} ] }}",
            rootJson: $"\"directory\": {{ \"redis\": \"127.0.0.1:{closedPort}\" }},");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 10, Wait, "10 frames");

        var exported = PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics"))).Types.Keys.ToHashSet(StringComparer.Ordinal);
        var used = DashboardQueries.MetricNames(dashboard);
        var unknown = used.Where(name => !exported.Contains(name)).ToList();

        var unknownInAlerts = alerts.SelectMany(DashboardQueries.MetricNames).Distinct(StringComparer.Ordinal)
            .Where(name => !exported.Contains(name) && !PrometheusOwn.Contains(name)).ToList();

        Assert.True(unknown.Count == 0, $"the dashboard queries metrics the daemon does not export: {string.Join(", ", unknown)}\nexported: {string.Join(", ", exported.Order(StringComparer.Ordinal))}");
        Assert.True(alerts.Count >= 5, $"found {alerts.Count} alert expressions in docs/operations.md");
        Assert.True(unknownInAlerts.Count == 0, $"docs/operations.md's alerts query metrics the daemon does not export: {string.Join(", ", unknownInAlerts)}");
        Assert.Empty(DashboardQueries.PanelsWithoutQueries(dashboard));
        // The groups an operator looks for, each by a metric of its own.
        foreach (var family in new[]
        {
            "appliance_viewers", "appliance_connections", "appliance_sent_bytes_total", "appliance_received_bytes_total",
            "appliance_connections_accepted_total", "appliance_auth_refused_total", "appliance_upstream_up",
            "appliance_directory_up", "appliance_segment_cache_hits_total", "appliance_gc_heap_bytes", "appliance_uptime_seconds",
        })
        {
            Assert.Contains(family, used);
        }
    }

    /// <summary>The "expr:" lines of the YAML blocks of a Markdown page (Prometheus rules).</summary>
    private static List<string> DocumentedAlertExpressions(string markdown) =>
        [.. YamlBlock().Matches(markdown).SelectMany(block => ExprLine().Matches(block.Groups[1].Value)).Select(m => m.Groups[1].Value.Trim())];

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"^\s*expr:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex ExprLine();

    [Fact]
    public void The_dashboard_chooses_its_prometheus_datasource_and_node_by_variables()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!;
        var variables = dashboard["templating"]!["list"]!.AsArray();

        var datasource = Assert.Single(variables, v => (string?)v!["type"] == "datasource");
        Assert.Equal("prometheus", (string?)datasource!["query"]);
        var datasourceName = (string)datasource["name"]!;
        Assert.Contains(variables, v => (string?)v!["name"] == "instance" && (string?)v["type"] == "query");
        foreach (var expression in DashboardQueries.Expressions(dashboard).Where(e => e.Contains('{', StringComparison.Ordinal)))
        {
            Assert.Contains("instance=~\"$instance\"", expression, StringComparison.Ordinal);
        }
        var panelDatasources = dashboard["panels"]!.AsArray().Where(p => (string?)p!["type"] != "row").Select(p => (string?)p!["datasource"]?["uid"]).Distinct().ToList();
        Assert.Equal([$"${{{datasourceName}}}"], panelDatasources);
    }

    /// <summary>The check itself: a metric that is not exported is found wherever the expression hides it.</summary>
    [Theory]
    [InlineData("sum by (protocol) (rate(appliance_viewer_typo_total{instance=~\"$instance\",protocol=\"rtmp\"}[$__rate_interval]))", "appliance_viewer_typo_total")]
    [InlineData("appliance_viewers / on(instance) group_left(node) appliance_bulid_info", "appliance_viewers,appliance_bulid_info")]
    [InlineData("topk(10, sum without (stream) (appliance_streams offset 5m)) > 1e3 and appliance_draining == bool 0", "appliance_streams,appliance_draining")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(appliance_latency_bucket{a='b',c=`d`}[5m:30s])))", "appliance_latency_bucket")]
    public void Metric_names_are_found_in_promql_and_labels_functions_and_numbers_are_not(string expression, string names)
    {
        Assert.Equal(names.Split(','), DashboardQueries.MetricNames(expression));
    }

    [Fact]
    public void A_panel_querying_an_unknown_metric_or_no_metric_is_reported()
    {
        var dashboard = JsonNode.Parse("""
            {
              "panels": [
                { "type": "row", "title": "r", "panels": [ { "type": "timeseries", "title": "nested", "targets": [ { "expr": "appliance_no_such_metric" } ] } ] },
                { "type": "stat", "title": "misnamed", "targets": [ { "query": "appliance_viewers" } ] }
              ],
              "templating": { "list": [ { "type": "query", "name": "instance", "query": { "query": "label_values(appliance_node_info, instance)" } } ] }
            }
            """)!;

        Assert.Equal(["appliance_no_such_metric", "appliance_node_info"], DashboardQueries.MetricNames(dashboard));
        Assert.Equal(["misnamed"], DashboardQueries.PanelsWithoutQueries(dashboard));
    }
}
