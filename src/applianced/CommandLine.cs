namespace Appliance.Daemon;

/// <summary>The daemon's options; every one is listed in <see cref="Usage"/>.</summary>
internal sealed record CommandLine(string? ConfigPath, bool CheckOnly, bool Help, bool Version, string? Error)
{
    public const string Usage = """
        Usage: applianced [-c FILE] | --check-config FILE | --print-default | -h | --version

        Live-streaming CDN node, the same binary on every tier (origin, upper, middle, edge):
        RTMP ingest; pull from parent nodes and push to others; delivery over RTMP,
        HTTP-FLV, HTTP-TS and HLS; token auth; control socket (appliancectl) and admin
        listener (/metrics, /api/*).

          -c, --config FILE    run with FILE (JSON, comments and trailing commas allowed);
                               without it the embedded default runs: RTMP on 1935,
                               HTTP on 8080, one domain with app "live", no auth
          --check-config FILE  validate FILE, print the problems (key path and what is
                               wrong) and exit 0 if it is usable, 1 if not
          --print-default      print the embedded default config as JSON
          -h, --help           this text
          --version            the version
        """;

    public bool PrintDefault { get; init; }

    public static CommandLine Parse(string[] args)
    {
        string? config = null;
        var check = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" or "-c" when i + 1 < args.Length:
                    config = args[++i];
                    break;
                case "--check-config" when i + 1 < args.Length:
                    config = args[++i];
                    check = true;
                    break;
                case "--help" or "-h":
                    return new CommandLine(null, false, true, false, null);
                case "--version":
                    return new CommandLine(null, false, false, true, null);
                case "--print-default":
                    return new CommandLine(null, false, false, false, null) { PrintDefault = true };
                default:
                    return new CommandLine(null, false, false, false, $"unknown or incomplete option '{args[i]}'");
            }
        }
        return new CommandLine(config, check, false, false, null);
    }
}
