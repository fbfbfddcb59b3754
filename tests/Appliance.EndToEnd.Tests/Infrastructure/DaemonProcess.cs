using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real AOT daemon on loopback ports the kernel picks (port 0), read back from its log.
/// Keeps every log line for assertions; ends the process it started, by PID, on dispose.
/// </summary>
public sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string _configPath;

    private DaemonProcess(Process process, string configPath, string controlSocket, string listenHost)
    {
        _process = process;
        _configPath = configPath;
        ControlSocket = controlSocket;
        ListenHost = listenHost;
    }

    /// <summary>The address the RTMP and HTTP listeners are on (loopback unless a test put the daemon elsewhere).</summary>
    public string ListenHost { get; }

    /// <summary>The config file the daemon runs on (tests rewrite it and reload).</summary>
    public string ConfigPath => _configPath;

    public string ControlSocket { get; }

    public int AdminPort { get; private set; }

    /// <summary>The admin listener (metrics, /api/*), on the same address as the others so a daemon in a namespace is reached too.</summary>
    public string AdminUrl(string path) => $"http://{ListenHost}:{AdminPort}/{path}";

    /// <summary>Sends a signal (HUP, TERM, USR1, ...) to the daemon, by its PID.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the daemon to exit on its own; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>
    /// The JSON object body of a config file as StartAsync writes it, for tests that rewrite the file.
    /// A root section <paramref name="rootJson"/> names (such as "log" or "control") replaces the
    /// one written here: the daemon refuses a key given twice.
    /// </summary>
    public static string ConfigText(string controlSocket, string appJson = "", string deadlinesJson = "", string extraAppsJson = "", string rootJson = "", string listenHost = "127.0.0.1", string? rtmpListen = null)
    {
        using var given = JsonDocument.Parse("{" + rootJson + "}", new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        string Section(string key, string json) => given.RootElement.TryGetProperty(key, out _) ? "" : $"\"{key}\": {json},";
        return $$"""
            {
              // written by the end-to-end tests
              {{Section("rtmp", $"{{ \"listen\": \"{rtmpListen ?? listenHost + ":0"}\" }}")}}
              {{Section("http", $"{{ \"listen\": \"{listenHost}:0\" }}")}}
              {{Section("log", "{ \"level\": \"debug\" }")}}
              {{Section("control", $"{{ \"socket\": \"{controlSocket}\" }}")}}
              {{Section("admin", $"{{ \"listen\": \"{listenHost}:0\" }}")}}
              {{rootJson}}
              "deadlines": { {{deadlinesJson}} },
              "domains": [ { "name": "default", "apps": [ { "name": "live", {{appJson}} }, {{extraAppsJson}} ] } ],
            }
            """;
    }

    public int RtmpPort { get; private set; }

    public int HttpPort { get; private set; }

    public int Pid => _process.Id;

    public string RtmpUrl(string path) => $"rtmp://{ListenHost}:{RtmpPort}/{path}";

    public string HttpUrl(string path) => $"http://{ListenHost}:{HttpPort}/{path}";

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the daemon. <paramref name="appJson"/> and <paramref name="deadlinesJson"/> are JSON
    /// object bodies merged into the app "live" and the deadlines section. <paramref name="listenHost"/>
    /// is where its RTMP and HTTP listeners go; <paramref name="prefix"/> a command that runs it
    /// (such as <c>ip netns exec NS</c>) and must exec it in place, since the process is ended by PID.
    /// <paramref name="rtmpListen"/> is for a node that must know its RTMP port before it starts (to advertise it).
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(string appJson = "", string deadlinesJson = "", string extraAppsJson = "", string rootJson = "", string listenHost = "127.0.0.1", IReadOnlyList<string>? prefix = null, string? rtmpListen = null)
    {
        var controlSocket = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.sock");
        var config = ConfigText(controlSocket, appJson, deadlinesJson, extraAppsJson, rootJson, listenHost, rtmpListen);
        return await StartOnConfigAsync(config, controlSocket, listenHost, prefix);
    }

    /// <summary>
    /// Starts the daemon on a whole config file a test wrote (such as a copy of the packaged one).
    /// Its RTMP, HTTP and admin listeners must be on <paramref name="listenHost"/> (port 0 lets the
    /// kernel pick) and its control socket at <paramref name="controlSocket"/>, both removed on dispose.
    /// </summary>
    public static async Task<DaemonProcess> StartOnConfigAsync(string config, string controlSocket, string listenHost = "127.0.0.1", IReadOnlyList<string>? prefix = null)
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, config);
        string[] command = [.. prefix ?? [], RepoPaths.Daemon, "--config", configPath];
        var info = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("daemon did not start");
        var daemon = new DaemonProcess(process, configPath, controlSocket, listenHost);
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await daemon.WaitForLogAsync(l => l.Contains("started", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        daemon.RtmpPort = daemon.PortOf("rtmp");
        daemon.HttpPort = daemon.PortOf("http");
        daemon.AdminPort = daemon.HasLog(l => l.Contains("listening for admin", StringComparison.Ordinal)) ? daemon.PortOf("admin") : 0;
        return daemon;
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    /// <summary>The port of the listener the daemon logged for <paramref name="protocol"/> ("listening for srt on ...").</summary>
    public int PortOf(string protocol)
    {
        foreach (var line in _lines)
        {
            var match = ListeningLine().Match(line);
            if (match.Success && match.Groups[1].Value == protocol)
            {
                return int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"the daemon logged no {protocol} listener:\n{string.Join('\n', _lines)}");
    }

    /// <summary>Waits for a log line matching <paramref name="predicate"/>; fails with the log if none comes in time.</summary>
    public async Task<string> WaitForLogAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            foreach (var line in _lines)
            {
                if (predicate(line))
                {
                    return line;
                }
            }
            if (_process.HasExited)
            {
                break;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no matching log line within {timeout.TotalSeconds:F0}s (daemon exited: {_process.HasExited}). Log:\n{string.Join('\n', _lines.TakeLast(80))}");
    }

    public bool HasLog(Func<string, bool> predicate) => _lines.Any(predicate);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_configPath);
        File.Delete(ControlSocket);
    }

    [GeneratedRegex(@"listening for (\w+) on [^\s]*:(\d+)")]
    private static partial Regex ListeningLine();
}
