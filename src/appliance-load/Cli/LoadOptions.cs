using System.Globalization;
using Appliance.Load.Targets;
using Appliance.Transport.Tls;

namespace Appliance.Load.Cli;

/// <summary>The command line, parsed and checked; <see cref="Error"/> says what is wrong with it.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Usage: appliance-load --url URL [--url URL ...] [--viewers N] [--duration SECONDS]
                              [--ramp PER_SECOND] [--timeout SECONDS] [--json] [--json-file FILE]
                              [--progress] [--viewers-csv FILE] [--allow-remote] [--ca FILE]
                              [--churn PER_SECOND [--seed N]] [--source-addresses LIST]
               appliance-load --publish RTMP_URL --source FILE.flv [--publish-start SECONDS]
                              [--viewers-after SECONDS] [--url URL ...] [viewer options]
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
                              rtmps:// and https:// are the same over TLS (TLS 1.2/1.3; the
                              certificate must chain to --ca or the system store and name the host)
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
          --churn PER_SECOND  once the ramp is done, each second stop this many playing viewers
                              (chosen at random; they count as finished, and as churned) and
                              start as many new ones, until the run ends; at most --viewers
          --seed N            churn: seed of the random choice (default 1)
          --source-addresses LIST
                              connect from these local IPv4 addresses in turn: a comma-separated
                              list of addresses and ranges, e.g. 127.0.0.2-127.0.0.9 (IPv4 targets
                              only). Each source address has its own ~28,000 ephemeral ports per
                              server port; use it for tens of thousands of viewers, run after run
          --ca FILE           rtmps:// and https://: trust the CA certificates of this PEM file
                              instead of the system store (there is no option to skip the check)

        Stamped publisher (glass-to-glass latency):
          --publish URL       publish to rtmp://host:port/app/stream (or rtmps://): the H.264 or H.265 FLV file
                              --source, in real time by its timestamps, looped with timestamps that
                              keep increasing; every video frame carries the wall-clock time it was
                              sent in an SEI (user data unregistered, UUID
                              a95e7c41-d23b-4f86-9e1c-62b7f058e32d, 64-bit big-endian Unix
                              microseconds). The viewers of --url (if any) read the stamps back
                              and report glass-to-glass latency; without --url it only publishes,
                              for --duration
          --source FILE       the FLV file (as ffmpeg -f flv writes it; script tags are dropped)
          --publish-start SECONDS
                              timestamp of the first frame on the wire (default 0; an aged stream
                              starts later, 4294967 s is past RTMP's 32-bit wrap)
          --viewers-after SECONDS
                              the first viewer starts this long after the server accepted the
                              publisher (default 0; HLS needs a segment or three); --duration
                              counts from there, and publishing goes on until the viewers are done
          --stamps            the viewers read latency stamps of a stream another publisher
                              stamps (implied by --publish)

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
        connection), 1 some failed or dropped, or the publisher failed (hostile: some were
        left open, failed to connect or never started), 2 bad options, 3 the run overran its
        hard cap (duration + 30 s; hostile: duration + wait + 30 s).
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

    /// <summary>What rtmps:// and https:// connections trust: the CAs of --ca, or the system store.</summary>
    public TlsClientTrust Trust { get; private set; } = TlsClientTrust.SystemStore;

    /// <summary>Hostile connections to make instead of viewers; 0 = a viewer run.</summary>
    public int Hostile { get; private set; }

    public int HostileConcurrency { get; private set; } = 100;

    /// <summary>Hostile: the longest a connection may stay open, from its connect, before the tool closes it itself.</summary>
    public TimeSpan HostileWait { get; private set; } = TimeSpan.FromSeconds(30);

    public int Seed { get; private set; } = 1;

    /// <summary>Viewers stopped and started each second after the ramp; 0 = none.</summary>
    public int Churn { get; private set; }

    /// <summary>The stamped publisher's stream; null: no publisher.</summary>
    public StreamUrl? PublishUrl { get; private set; }

    public string? Source { get; private set; }

    public long PublishStartMs { get; private set; }

    public TimeSpan ViewersAfter { get; private set; }

    /// <summary>Viewers read the latency stamps.</summary>
    public bool Stamps { get; private set; }

    /// <summary>--source-addresses: where viewers connect from; null: the kernel's choice.</summary>
    public SourceAddresses? SourceAddresses { get; private set; }

    public bool Help { get; private set; }

    public string? Error { get; private set; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var urls = new List<string>();
        string? publish = null;
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
                case "--churn":
                    options.Churn = (int)options.Number(arg, Value(), 1, 1_000_000);
                    break;
                case "--seed":
                    options.Seed = (int)options.Number(arg, Value(), 0, int.MaxValue);
                    break;
                case "--publish":
                    publish = Value();
                    options.Error ??= publish is null ? "--publish needs a value" : null;
                    break;
                case "--source":
                    options.Source = Value();
                    options.Error ??= options.Source is null ? "--source needs a value" : null;
                    break;
                case "--publish-start":
                    options.PublishStartMs = (long)(options.Number(arg, Value(), 0, 1e9) * 1000);
                    break;
                case "--viewers-after":
                    options.ViewersAfter = TimeSpan.FromSeconds(options.Number(arg, Value(), 0, 3600));
                    break;
                case "--source-addresses":
                    options.ReadSourceAddresses(Value());
                    break;
                case "--stamps":
                    options.Stamps = true;
                    break;
                case "--ca":
                    options.ReadCa(Value());
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
            options.AddPublisher(publish, given);
        }
        if (options.Error is null)
        {
            options.AddUrls(urls);
        }
        return options;
    }

    /// <summary>Viewer options make no sense in a hostile run, and hostile ones none in a viewer run.</summary>
    private void CheckMode(HashSet<string> given)
    {
        string[] viewerOnly = ["--viewers", "--ramp", "--timeout", "--viewers-csv", "--allow-remote", "--churn", "--ca", "--source-addresses"];
        string[] hostileOnly = ["--hostile-concurrency", "--hostile-wait"];
        string[] publisherOnly = ["--publish", "--source", "--publish-start", "--viewers-after", "--stamps"];
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
        else if (Hostile == 0 && given.Contains("--seed") && Churn == 0)
        {
            Error = "--seed needs --hostile N or --churn PER_SECOND";
        }
        else if (Churn > Viewers)
        {
            Error = $"--churn {Churn} is more than --viewers {Viewers}: it stops that many viewers each second";
        }
        else if (Hostile > 0 && publisherOnly.FirstOrDefault(given.Contains) is { } publisherOption)
        {
            Error = $"{publisherOption} does not apply to --hostile";
        }
    }

    private void AddPublisher(string? publish, HashSet<string> given)
    {
        if (publish is null)
        {
            Error = new[] { "--source", "--publish-start", "--viewers-after" }.FirstOrDefault(given.Contains) is { } option
                ? $"{option} needs --publish URL"
                : null;
            return;
        }
        if (Source is null)
        {
            Error = "--publish needs --source FILE (an FLV file, as ffmpeg -f flv writes it)";
            return;
        }
        if (!StreamUrl.TryParse(publish, out var url, out var problem) || url.Protocol != StreamProtocol.Rtmp)
        {
            Error = $"--publish {publish}: {(problem.Length > 0 ? problem : "not an rtmp:// URL")}";
            return;
        }
        if (!AllowRemote && !LoopbackPolicy.IsLoopback(url.Host))
        {
            Error = $"--publish {publish}: '{url.Host}' is not a loopback address; load goes to 127.0.0.0/8, ::1 or localhost unless --allow-remote is given";
            return;
        }
        PublishUrl = url;
        Stamps = true;
    }

    private void AddUrls(List<string> urls)
    {
        if (urls.Count == 0 && PublishUrl is not null)
        {
            return;
        }
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
            if (Hostile > 0 && url.IsTls)
            {
                Error = $"--url {text}: --hostile speaks plain rtmp:// and http:// only";
                return;
            }
            Urls.Add(url);
        }
    }

    private void ReadSourceAddresses(string? text)
    {
        if (text is null)
        {
            Error ??= "--source-addresses needs a value";
            return;
        }
        if (!SourceAddresses.TryParse(text, out var addresses, out var problem))
        {
            Error ??= $"--source-addresses {text}: {problem}";
            return;
        }
        SourceAddresses = addresses;
    }

    private void ReadCa(string? path)
    {
        if (path is null)
        {
            Error ??= "--ca needs a value";
            return;
        }
        try
        {
            Trust = new TlsClientTrust(TlsCaFile.Load(path), path, null);
        }
        catch (TlsCertificateException e)
        {
            Error ??= $"--ca {e.Message}";
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
