using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>The node's status as /api/status, appliancectl status and /metrics show it.</summary>
public sealed class StatusTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Uptime_counts_from_daemon_start_in_every_view_even_at_the_first_status_request()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        // /metrics has always counted from the start: wait on it (no status request before this point).
        var deadline = Environment.TickCount64 + (long)Wait.TotalMilliseconds;
        double metricsUptime;
        while ((metricsUptime = await MetricsUptimeAsync(daemon)) < 2)
        {
            Assert.True(Environment.TickCount64 < deadline, $"appliance_uptime_seconds stayed at {metricsUptime}");
            await Task.Delay(100);
        }

        using var status = JsonDocument.Parse(await Http.GetStringAsync(daemon.AdminUrl("api/status")));
        var control = (await Appliancectl.JsonAsync(daemon, "status")).GetProperty("status");

        Assert.InRange(status.RootElement.GetProperty("uptimeSeconds").GetInt64(), 2, 120);
        Assert.InRange(control.GetProperty("uptimeSeconds").GetInt64(), 2, 120);
    }

    [Fact]
    public async Task The_managed_heap_is_reported_at_the_first_status_request_before_any_collection()
    {
        await using var daemon = await DaemonProcess.StartAsync();

        // The very first request: a figure of the last collection would still be 0 here.
        using var status = JsonDocument.Parse(await Http.GetStringAsync(daemon.AdminUrl("api/status")));
        var control = (await Appliancectl.JsonAsync(daemon, "status")).GetProperty("status");

        var memory = status.RootElement.GetProperty("memory");
        Assert.True(memory.GetProperty("managedHeapBytes").GetInt64() > 0, memory.ToString());
        Assert.True(memory.GetProperty("managedCommittedBytes").GetInt64() >= memory.GetProperty("managedHeapBytes").GetInt64(), memory.ToString());
        Assert.True(control.GetProperty("managedHeapBytes").GetInt64() > 0, control.ToString());
    }

    private static async Task<double> MetricsUptimeAsync(DaemonProcess daemon) =>
        PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics"))).Value("appliance_uptime_seconds") ?? 0;
}
