using Appliance.Control.Contract;

namespace Appliance.Ctl;

/// <summary>The command line: global options, a command, its arguments. Every option is in <see cref="Usage"/>.</summary>
internal sealed class Options
{
    public const string Usage = """
        Usage: appliancectl [--socket PATH] [--json] COMMAND [ARGS]

        Drives a running applianced through its control socket.

        Commands:
          status                     version, uptime, role, listeners, connections, memory, GC
          streams                    live streams: source, ingest rate and fps, codecs,
                                     resolution, viewers per protocol, bytes out
          sessions [--stream S] [--protocol P] [--client C]
                                     open connections and HLS players, optionally filtered
                                     (S: app/name or domain/app/name; P: a protocol or its
                                     prefix, e.g. rtmp or hls; C: the start of the client address)
          kick ID                    close one session (ID from 'sessions'); a kicked HLS
                                     player gets 403 until it stops asking for a while
          drop STREAM                end a stream (app/name or domain/app/name): its
                                     publisher or upstream pull and all its viewers
          reload                     re-read the config file; a bad file changes nothing and
                                     the error (key path and problem) is printed
          config                     the config in effect, secrets masked, and the keys whose
                                     new value in the file waits for a restart
          routes                     upstream candidates, their health, and the streams each feeds
          drain [--timeout SECONDS]  stop accepting, let viewers finish, then exit
          sign --scheme S --key K --expires WHEN URL
                                     print URL signed for an app's auth rule (no daemon
                                     needed; 'appliancectl sign --help' for every option)

        Options:
          --socket PATH   the control socket (default: $APPLIANCE_SOCKET, else
                          $RUNTIME_DIRECTORY/control.sock, else the first of
                          /run/appliance, $XDG_RUNTIME_DIR/appliance and ./run that
                          holds control.sock, as the daemon places it)
          --json          print the daemon's reply as JSON (for scripts) instead of tables
          --help          this text
          --version       the version

        Exit status: 0 ok, 1 the daemon answered with an error, 2 usage error,
        3 the daemon is not running (no socket, or nobody listening), 4 permission denied.
        """;

    public string? SocketPath { get; private set; }

    public bool Json { get; private set; }

    public bool Help { get; private set; }

    public bool Version { get; private set; }

    public ControlRequest Request { get; } = new();

    public string? Error { get; private set; }

    public static Options Parse(string[] args)
    {
        var options = new Options();
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--socket":
                    options.SocketPath = Value() ?? options.Fail("--socket needs a path");
                    break;
                case "--json":
                    options.Json = true;
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    return options;
                case "--version":
                    options.Version = true;
                    return options;
                case "--stream":
                    options.Request.Stream = Value() ?? options.Fail("--stream needs a stream");
                    break;
                case "--protocol":
                    options.Request.Protocol = Value() ?? options.Fail("--protocol needs a protocol");
                    break;
                case "--client":
                    options.Request.Client = Value() ?? options.Fail("--client needs an address");
                    break;
                case "--timeout":
                    var timeout = Value();
                    if (int.TryParse(timeout, out var seconds) && seconds >= 0)
                    {
                        options.Request.TimeoutSeconds = seconds;
                    }
                    else
                    {
                        options.Fail("--timeout needs a number of seconds");
                    }
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        options.Fail($"unknown option '{arg}'");
                    }
                    else
                    {
                        positional.Add(arg);
                    }
                    break;
            }
            if (options.Error is not null)
            {
                return options;
            }
        }
        options.Bind(positional);
        return options;
    }

    private void Bind(List<string> positional)
    {
        if (positional.Count == 0)
        {
            Fail("no command given");
            return;
        }
        var command = positional[0];
        Request.Command = command;
        var arguments = positional.Count - 1;
        switch (command)
        {
            case "kick":
                if (arguments != 1 || !long.TryParse(positional[1], out var id) || id <= 0)
                {
                    Fail("kick needs one session id (a number, from 'appliancectl sessions')");
                    return;
                }
                Request.Session = id;
                break;
            case "drop":
                if (arguments != 1)
                {
                    Fail("drop needs one stream: app/name or domain/app/name");
                    return;
                }
                Request.Stream = positional[1];
                break;
            case "status" or "streams" or "sessions" or "reload" or "config" or "routes" or "drain":
                if (arguments != 0)
                {
                    Fail($"{command} takes no arguments besides its options");
                }
                break;
            case "sign":
                Fail("sign comes first, with its own options: appliancectl sign --help");
                return;
            default:
                Fail($"unknown command '{command}'");
                break;
        }
        if (Request.TimeoutSeconds is not null && command != "drain")
        {
            Fail("--timeout goes with drain");
        }
        if ((Request.Protocol ?? Request.Client) is not null && command != "sessions" || Request.Stream is not null && command is not ("sessions" or "drop"))
        {
            Fail("--stream, --protocol and --client go with sessions");
        }
    }

    private string? Fail(string error)
    {
        Error ??= error;
        return null;
    }
}
