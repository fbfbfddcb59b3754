using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// Plays a live URL in headless Chromium with hls.js, dash.js or mpegts.js through tests/browser/play.mjs
/// (Node + playwright-core driving Debian's /usr/bin/chromium) and returns what the page measured.
/// </summary>
public static class BrowserPlayer
{
    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM_BIN") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string ScriptDirectory => Path.Combine(RepoPaths.Root, "tests", "browser");

    /// <summary>Why browser tests cannot run on this machine, or null when they can.</summary>
    public static string? MissingPrerequisite()
    {
        if (!File.Exists(Chromium))
        {
            return $"browser tests need Debian's chromium at {Chromium}: `sudo apt-get install chromium` (or `make test-deps` as root)";
        }
        if (FindOnPath("node") is null)
        {
            return "browser tests need Node.js on PATH: `sudo apt-get install nodejs npm` (or `make test-deps` as root)";
        }
        foreach (var module in new[] { "playwright-core", "hls.js", "mpegts.js", "dashjs" })
        {
            if (!Directory.Exists(Path.Combine(ScriptDirectory, "node_modules", module)))
            {
                return $"browser tests need the npm modules in tests/browser (no {module}): `npm ci --prefix tests/browser` (or `make test-deps`)";
            }
        }
        return null;
    }

    /// <summary>
    /// Plays <paramref name="url"/> for <paramref name="seconds"/> of wall time after the first
    /// 'playing' event. Fails with play.mjs's report when the browser could not be launched or the
    /// player never started; a measured run is returned for the caller to judge.
    /// </summary>
    /// <param name="lowLatency">hls.js lowLatencyMode, mpegts.js without its stash buffer (dash.js picks it from the MPD).</param>
    public static async Task<BrowserPlayback> PlayAsync(string player, string url, string? type = null, double seconds = 6, double timeoutSeconds = 90, bool lowLatency = false,
        BrowserThrottle? throttle = null, BrowserPageTls? pageTls = null)
    {
        var profiles = Directory.CreateTempSubdirectory("appliance-browser-");
        try
        {
            var args = new List<string>
            {
                Path.Combine(ScriptDirectory, "play.mjs"),
                "--player", player,
                "--url", url,
                "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
                "--timeout", timeoutSeconds.ToString(CultureInfo.InvariantCulture),
                "--chromium", Chromium,
                "--profile-parent", profiles.FullName,
            };
            if (type is not null)
            {
                args.AddRange(["--type", type]);
            }
            if (lowLatency)
            {
                args.Add("--low-latency");
            }
            if (throttle is not null)
            {
                args.AddRange([
                    "--link-kbps", throttle.LinkKbps.ToString(CultureInfo.InvariantCulture),
                    "--link-latency-ms", throttle.LinkLatencyMs.ToString(CultureInfo.InvariantCulture),
                    "--throttle-kbps", throttle.Kbps.ToString(CultureInfo.InvariantCulture),
                    "--throttle-at-height", throttle.AtHeight.ToString(CultureInfo.InvariantCulture),
                    "--throttle-seconds", throttle.Seconds.ToString(CultureInfo.InvariantCulture),
                ]);
                if (throttle.EndAfterTopSeconds is { } top)
                {
                    args.AddRange(["--end-after-top-seconds", top.ToString(CultureInfo.InvariantCulture)]);
                }
            }
            if (pageTls is not null)
            {
                args.AddRange(["--page-cert", pageTls.Cert, "--page-key", pageTls.Key, "--spki", string.Join(',', pageTls.Spki)]);
            }
            // play.mjs bounds itself by --timeout; the extra margin only catches a hung Node.
            await using var node = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(timeoutSeconds + 30), "node", [.. args]);
            var line = node.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (line is null || !line.StartsWith('{'))
            {
                throw new InvalidOperationException($"play.mjs ({player} {url}) exited {node.ExitCode} without a JSON report\nstdout: {node.Stdout}\nstderr: {node.Stderr}");
            }
            var playback = JsonSerializer.Deserialize(line, BrowserJsonContext.Default.BrowserPlayback)
                ?? throw new InvalidOperationException($"play.mjs printed null: {line}");
            playback.Json = line;
            if (node.ExitCode != 0 || !playback.Ok)
            {
                throw new InvalidOperationException($"{player} did not play {url} in chromium (exit {node.ExitCode}, phase {playback.Phase}): {playback.Error}\n{line}\nstderr: {node.Stderr}");
            }
            return playback;
        }
        finally
        {
            profiles.Delete(recursive: true);
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>
/// A network throttle play.mjs applies through the DevTools protocol (Network.emulateNetworkConditions):
/// <paramref name="Kbps"/> down, from when the video first shows <paramref name="AtHeight"/> lines
/// until <paramref name="Seconds"/> after it shows fewer (at most 20 s). Before and after, the page
/// has a link of <paramref name="LinkKbps"/> with <paramref name="LinkLatencyMs"/> of latency rather
/// than loopback, whose near-instant downloads players' bandwidth averages weigh as next to nothing.
/// With <paramref name="EndAfterTopSeconds"/>, the run ends once the video has shown <paramref name="AtHeight"/>
/// lines again for that long after the throttle was lifted, rather than at its given length.
/// </summary>
/// <summary>
/// The test page served over HTTPS with <paramref name="Cert"/> and <paramref name="Key"/> (PEM files), and Chromium
/// accepting certificate chains that hold one of the <paramref name="Spki"/> public keys (base64 SHA-256 of the
/// SubjectPublicKeyInfo) though no CA of its store issued them; every other certificate is still refused.
/// </summary>
public sealed record BrowserPageTls(string Cert, string Key, IReadOnlyList<string> Spki);

public sealed record BrowserThrottle(int Kbps, int AtHeight, double Seconds, int LinkKbps = 20_000, int LinkLatencyMs = 20, double? EndAfterTopSeconds = null);

/// <summary>play.mjs's report: the page's measurements from the first 'playing' event on.</summary>
public sealed class BrowserPlayback
{
    public bool Ok { get; init; }

    public string? Phase { get; init; }

    public string? Error { get; init; }

    public long? StartupMs { get; init; }

    public double WallSeconds { get; init; }

    public double AdvancedSeconds { get; init; }

    public int WaitingEvents { get; init; }

    public long WaitingMs { get; init; }

    public int StalledEvents { get; init; }

    /// <summary>dash.js BUFFER_EMPTY events after playback started.</summary>
    public int BufferEmptyEvents { get; init; }

    /// <summary>Whether the player played in low-latency mode (dash.js: its own decision), or null when it did not say.</summary>
    public bool? LowLatencyMode { get; init; }

    /// <summary>The player's latency (hls.latency, dash.js getCurrentLiveLatency()), sampled every 250 ms, in seconds.</summary>
    public int LatencySamples { get; init; }

    public double? LatencyMax { get; init; }

    public double? LatencyMaxAfter5s { get; init; }

    public double? LatencyMean { get; init; }

    public long LongestFreezeMs { get; init; }

    public IReadOnlyList<JsonElement> Errors { get; init; } = [];

    /// <summary>Each 'waiting' stall after playback started.</summary>
    public IReadOnlyList<BrowserWait> Waits { get; init; } = [];

    /// <summary>The picture height whenever it changed: [ms after the first 'playing', lines].</summary>
    public IReadOnlyList<long[]> Heights { get; init; } = [];

    /// <summary>What play.mjs did to the page meanwhile (a throttle applied, lifted), when.</summary>
    public IReadOnlyList<BrowserNote> Notes { get; init; } = [];

    public int VideoWidth { get; init; }

    public int VideoHeight { get; init; }

    public int? DroppedFrames { get; init; }

    public int? TotalFrames { get; init; }

    public long ElapsedMs { get; init; }

    /// <summary>Where the test page was: http:// or, with <see cref="BrowserPageTls"/>, https://.</summary>
    public string? PageUrl { get; init; }

    /// <summary>The page's window.isSecureContext.</summary>
    public bool? SecureContext { get; init; }

    /// <summary>The whole report line, for assertion messages.</summary>
    [JsonIgnore]
    public string Json { get; set; } = "";

    public override string ToString() => Json;
}

public sealed class BrowserWait
{
    public long AfterMs { get; init; }
}

public sealed class BrowserNote
{
    public string Name { get; init; } = "";

    public long? AfterMs { get; init; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(BrowserPlayback))]
internal sealed partial class BrowserJsonContext : JsonSerializerContext;
