using System.Diagnostics;
using System.Text.Json;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>What an edge says about its upstreams: `appliancectl routes` and the source `appliancectl streams` names.</summary>
public static class EdgeRoutes
{
    /// <summary>One row of `appliancectl routes`.</summary>
    public sealed record Route(string Url, double? RttMs, double? CarryRatio, int Stalls, double Cost, string[] Streams)
    {
        public override string ToString() =>
            $"{Url}: rtt {RttMs?.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} ms, carry {CarryRatio?.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, stalls {Stalls}, cost {Cost:F0}, streams [{string.Join(",", Streams)}]";
    }

    public static async Task<List<Route>> ListAsync(DaemonProcess edge)
    {
        var reply = await Appliancectl.JsonAsync(edge, "routes");
        return [.. reply.GetProperty("routes").EnumerateArray().Select(r => new Route(
            r.GetProperty("url").GetString()!,
            Number(r, "rttMs"),
            Number(r, "carryRatio"),
            r.GetProperty("stalls").GetInt32(),
            r.GetProperty("cost").GetDouble(),
            [.. r.GetProperty("streams").EnumerateArray().Select(s => s.GetString()!)]))];
    }

    /// <summary>The upstream the edge's only stream comes from, as `appliancectl streams` shows it; null while it has none.</summary>
    public static async Task<string?> SourceAsync(DaemonProcess edge)
    {
        var streams = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams");
        return streams.GetArrayLength() == 0 ? null : streams[0].GetProperty("source").GetString();
    }

    /// <summary>Polls the routes until <paramref name="condition"/> holds; fails with the last table seen.</summary>
    public static async Task<List<Route>> WaitAsync(DaemonProcess edge, Func<List<Route>, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var routes = await ListAsync(edge);
            if (condition(routes))
            {
                return routes;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} not seen within {timeout.TotalSeconds:F0}s; routes:\n{string.Join('\n', routes)}");
            }
            await Task.Delay(200);
        }
    }

    private static double? Number(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
