using System.Globalization;
using Appliance.Load.Targets;

namespace Appliance.Load.Cli;

/// <summary>The command line, parsed and checked; <see cref="Error"/> says what is wrong with it.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Usage: appliance-load --url URL [--url URL ...] [--viewers N] [--duration SECONDS]
                              [--ramp PER_SECOND] [--timeout SECONDS] [--json] [--json-file FILE]
                              [--progress] [--viewers-csv FILE] [--allow-remote]
               appliance-load --hostile N --url URL [--url URL ...] [--hostile-concurrency C]
                              [--hostile-wait SECONDS] [--seed N] [--duration SECONDS]
                              [--json] [--json-file FILE] [--progress]

        Opens N viewers of live streams, reads them for the duration, and reports what they got.
        With --hostile, opens hostile connections instead (no viewers) and reports whether the
        server closed every one of them.

          --url URL           the stream, by kind of viewer; repeat for several streams
                              (viewers are split evenly, round robin):
                                rtmp://host:port/app/stream        RTMP player
                                http://host:port/app/stream.flv    HTTP-FLV player
                                http://host:port/app/stream.ts     HTTP-TS player
                                http://host:port/app/stream.m3u8   HLS player (media playlist)
                                http://host:port/app/stream/llhls.m3u8
                                                                   LL-HLS player (hls.js in low-latency
                                                                   mode; also a *-ll.m3u8 media playlist)
                                http://host:port/app/stream.mpd    DASH player (?ll=1: LL-DASH)
          --viewers N         viewers in total (default 1)
          --duration SECONDS  length of the run, ramp included (default 30)
          --ramp PER_SECOND   viewers started per second (default 200)
          --timeout SECONDS   HLS, LL-HLS, DASH: longest wait for one whole response (playlist,
                              MPD, part, segment; a held one included), the first one included
                              (default 10)
          --json              the report as JSON, for scripts
          --json-file FILE    also write the JSON report to FILE (text stays on stdout)
          --viewers-csv FILE  write one line per viewer to FILE
          --progress          a progress line on stderr every 5 s
          --allow-remote      allow hosts that are not loopback (127.0.0.0/8, ::1, localhost)

        Hostile mode (loopback only; --viewers, --ramp, --timeout, --viewers-csv and
        --allow-remote do not apply):
          --hostile N         N hostile connections, the kinds dealt round robin: to the
                              server of each rtmp:// URL random bytes, half a handshake (C0
                              and part of C1, then silence), a handshake then a chunk size of
                              2^31-1 and a 16 MiB message header; to the server of each http://
                              URL a head of 100 headers of 400 bytes, and slowloris (a header
                              line every 500 ms for 5 s, never the end of the head)
          --hostile-concurrency C
                              at most C open at once (default 100)
          --hostile-wait SECONDS
                              a connection the server has not closed this long after its
                              connect is left open: the tool closes it and counts it (default 30)
          --seed N            seed of the random bytes and sizes (default 1)
          --duration SECONDS  no connection starts after this (default 30)

        Exit status: 0 every viewer played to the end (hostile: the server closed every
        connection), 1 some failed or dropped (hostile: some were left open, failed to connect
        or never started), 2 bad options, 3 the run overran its hard cap (duration + 30 s;
        hostile: duration + wait + 30 s).
        """;

    public List<StreamUrl> Urls { get; } = [];

    public int Viewers { get; private set; } = 1;

    public double DurationSeconds { get; private set; } = 30;

    public double RampPerSecond { get; private set; } = 200;

    /// <summary>HLS: the longest a playlist or segment request may take, response body included.</summary>
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(10);

    public bool Json { get; private set; }

    public string? JsonFile { get; private set; }

    public string? ViewersCsv { get; private set; }

    public bool Progress { get; private set; }

    public bool AllowRemote { get; private set; }

    /// <summary>Hostile connections to make instead of viewers; 0 = a viewer run.</summary>
    public int Hostile { get; private set; }

    public int HostileConcurrency { get; private set; } = 100;

    /// <summary>Hostile: the longest a connection may stay open, from its connect, before the tool closes it itself.</summary>
    public TimeSpan HostileWait { get; private set; } = TimeSpan.FromSeconds(30);

    public int Seed { get; private set; } = 1;

    public bool Help { get; private set; }

    public string? Error { get; private set; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var urls = new List<string>();
        var given = new HashSet<string>();
        for (var i = 0; i < args.Length && options.Error is null; i++)
        {
            var arg = args[i];
            given.Add(arg);
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--url":
                    if (Value() is { } url)
                    {
                        urls.Add(url);
                    }
                    else
                    {
                        options.Error = "--url needs a value";
                    }
                    break;
                case "--viewers":
                    options.Viewers = (int)options.Number(arg, Value(), 1, 1_000_000);
                    break;
                case "--duration":
                    options.DurationSeconds = options.Number(arg, Value(), 0.1, 86_400);
                    break;
                case "--ramp":
                    options.RampPerSecond = options.Number(arg, Value(), 0.1, 1_000_000);
                    break;
                case "--timeout":
                    options.Timeout = TimeSpan.FromSeconds(options.Number(arg, Value(), 0.1, 3600));
                    break;
                case "--json":
                    options.Json = true;
                    break;
                case "--json-file":
                    options.JsonFile = Value();
                    options.Error ??= options.JsonFile is null ? "--json-file needs a value" : null;
                    break;
                case "--viewers-csv":
                    options.ViewersCsv = Value();
                    options.Error ??= options.ViewersCsv is null ? "--viewers-csv needs a value" : null;
                    break;
                case "--progress":
                    options.Progress = true;
                    break;
                case "--allow-remote":
                    options.AllowRemote = true;
                    break;
                case "--hostile":
                    options.Hostile = (int)options.Number(arg, Value(), 1, 1_000_000);
                    break;
                case "--hostile-concurrency":
                    options.HostileConcurrency = (int)options.Number(arg, Value(), 1, 100_000);
                    break;
                case "--hostile-wait":
                    options.HostileWait = TimeSpan.FromSeconds(options.Number(arg, Value(), 0.1, 3600));
                    break;
                case "--seed":
                    options.Seed = (int)options.Number(arg, Value(), 0, int.MaxValue);
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    return options;
                default:
                    options.Error = $"unknown option '{arg}'";
                    break;
            }
        }
        options.CheckMode(given);
        if (options.Error is null)
        {
            options.AddUrls(urls);
        }
        return options;
    }

    /// <summary>Viewer options make no sense in a hostile run, and hostile ones none in a viewer run.</summary>
    private void CheckMode(HashSet<string> given)
    {
        string[] viewerOnly = ["--viewers", "--ramp", "--timeout", "--viewers-csv", "--allow-remote"];
        string[] hostileOnly = ["--hostile-concurrency", "--hostile-wait", "--seed"];
        if (Error is not null)
        {
            return;
        }
        if (Hostile > 0 && viewerOnly.FirstOrDefault(given.Contains) is { } viewerOption)
        {
            Error = viewerOption == "--allow-remote"
                ? "--hostile only goes to loopback addresses; --allow-remote does not apply"
                : $"{viewerOption} does not apply to --hostile (it opens no viewers; run the viewers in another appliance-load)";
        }
        else if (Hostile == 0 && hostileOnly.FirstOrDefault(given.Contains) is { } hostileOption)
        {
            Error = $"{hostileOption} needs --hostile N";
        }
    }

    private void AddUrls(List<string> urls)
    {
        if (urls.Count == 0)
        {
            Error = "at least one --url is required";
            return;
        }
        foreach (var text in urls)
        {
            if (!StreamUrl.TryParse(text, out var url, out var problem))
            {
                Error = $"--url {text}: {problem}";
                return;
            }
            if (!AllowRemote && !LoopbackPolicy.IsLoopback(url.Host))
            {
                Error = $"--url {text}: '{url.Host}' is not a loopback address; load goes to 127.0.0.0/8, ::1 or localhost unless --allow-remote is given";
                return;
            }
            Urls.Add(url);
        }
    }

    private double Number(string name, string? text, double min, double max)
    {
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || value < min || value > max)
        {
            Error ??= $"{name} needs a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
            return min;
        }
        return value;
    }
}
