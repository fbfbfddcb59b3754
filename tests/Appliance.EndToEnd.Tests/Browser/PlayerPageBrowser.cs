using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// Opens the node's player page in headless Chromium through tests/browser/open-page.mjs: the
/// page, its scripts and the media all come from the node; returns what the page showed.
/// </summary>
public static class PlayerPageBrowser
{
    /// <summary>
    /// Opens <paramref name="url"/> and reads the page for <paramref name="seconds"/> after it
    /// starts playing. Fails with open-page.mjs's report when the browser could not be launched
    /// or the page never played; a measured visit is returned for the caller to judge.
    /// </summary>
    public static async Task<PlayerPageVisit> OpenAsync(string url, double seconds, double timeoutSeconds = 90)
    {
        var profiles = Directory.CreateTempSubdirectory("appliance-browser-");
        try
        {
            string[] args =
            [
                Path.Combine(BrowserPlayer.ScriptDirectory, "open-page.mjs"),
                "--url", url,
                "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
                "--timeout", timeoutSeconds.ToString(CultureInfo.InvariantCulture),
                "--chromium", BrowserPlayer.Chromium,
                "--profile-parent", profiles.FullName,
            ];
            // open-page.mjs bounds itself by --timeout; the extra margin only catches a hung Node.
            await using var node = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(timeoutSeconds + 30), "node", args);
            var line = node.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (line is null || !line.StartsWith('{'))
            {
                throw new InvalidOperationException($"open-page.mjs ({url}) exited {node.ExitCode} without a JSON report\nstdout: {node.Stdout}\nstderr: {node.Stderr}");
            }
            var visit = JsonSerializer.Deserialize(line, PlayerPageJsonContext.Default.PlayerPageVisit)
                ?? throw new InvalidOperationException($"open-page.mjs printed null: {line}");
            visit.Json = line;
            if (node.ExitCode != 0 || !visit.Ok)
            {
                throw new InvalidOperationException($"the player page {url} did not play in chromium (exit {node.ExitCode}, phase {visit.Phase}): {visit.Error}\n{line}\nstderr: {node.Stderr}");
            }
            return visit;
        }
        finally
        {
            profiles.Delete(recursive: true);
        }
    }
}

/// <summary>open-page.mjs's report.</summary>
public sealed class PlayerPageVisit
{
    public bool Ok { get; init; }

    public string? Phase { get; init; }

    public string? Error { get; init; }

    /// <summary>window.appliancePlayer.stats() when the page first played, and at the end.</summary>
    public PlayerPageStats First { get; init; } = new();

    public PlayerPageStats Last { get; init; } = new();

    public double AdvancedSeconds { get; init; }

    /// <summary>The page's own clock from the first sample to the last.</summary>
    public double PageSeconds { get; init; }

    /// <summary>Every half second: [ms on the page's clock after the first sample, the video's currentTime].</summary>
    public IReadOnlyList<double[]> CurrentTimes { get; init; } = [];

    /// <summary>Latency and bitrate every half second from the first 'playing' on (null: not known then).</summary>
    public IReadOnlyList<double?> Latencies { get; init; } = [];

    public IReadOnlyList<double?> Bitrates { get; init; } = [];

    /// <summary>The text of the page's figures at the end: protocol, state, latency, bitrate, resolution, stalls.</summary>
    public Dictionary<string, string> Shown { get; init; } = [];

    /// <summary>Every URL the browser requested, the page first.</summary>
    public IReadOnlyList<string> Requests { get; init; } = [];

    [JsonIgnore]
    public string Json { get; set; } = "";

    public override string ToString() => Json;
}

public sealed class PlayerPageStats
{
    public string? Output { get; init; }

    public string? Protocol { get; init; }

    public string? State { get; init; }

    public double? Latency { get; init; }

    public double? BitrateKbps { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int Stalls { get; init; }

    public double CurrentTime { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PlayerPageVisit))]
internal sealed partial class PlayerPageJsonContext : JsonSerializerContext;
