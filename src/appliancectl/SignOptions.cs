using Appliance.Auth.Signing;

namespace Appliance.Ctl;

/// <summary>The command line of <c>appliancectl sign</c>, read into a <see cref="SignRequest"/>.</summary>
internal sealed class SignOptions
{
    public const string Usage = """
        Usage: appliancectl sign --scheme SCHEME (--key KEY | --key-file FILE) --expires WHEN [OPTIONS] URL

        Prints URL signed for an app whose publish or play rule has this scheme and key, good
        until WHEN. No daemon is asked: the key is the app's auth key (see docs/auth.md).

        URL: rtmp://HOST/APP/STREAM, or http(s)://HOST/APP/STREAM.flv, .ts, .m3u8 or .mpd
        WHEN: a duration from now (90s, 30m, 1h, 7d, -1h), now, Unix seconds (after 2001),
              or an ISO 8601 date (UTC unless it names its offset)

        Options:
          --scheme S          typeA, typeB, typeC, streamSecret or hmac
          --key KEY           the rule's key (hmac: hex); --key-file FILE reads it from a file
          --expires WHEN      when the node stops taking the URL
          --ttl SECONDS       typeA, typeB, typeC: the rule's ttlSeconds (default 1800); the URL
                              carries its signing time, which the node trusts for that long
          --form query|path   where the token rides: typeC and hmac choose (default query),
                              typeB is path only, the others query only
          --rand R, --uid U   typeA fields (default 0 and 0)
          --sign-name N, --time-name N            typeC parameter names (default sign, t)
          --tx-secret-name N, --tx-time-name N    streamSecret parameter names (default txSecret, txTime)
          --token-name N      hmac parameter or path element name (default __token__)
          --acl PATTERNS      hmac: paths the token is good for ('*', '?', joined by '!');
                              without it the token is good for this URL's path only
          --ip ADDR           hmac: the only client address the token is good for
          --start WHEN        hmac: not good before WHEN
          --id ID, --data D   hmac: carried and signed, not checked

        Exit status: 0 the URL is printed, 2 it cannot be signed (the reason is on stderr).
        """;

    // Which schemes take each scheme-specific option; an option given for another scheme is a mistake.
    private static readonly Dictionary<string, string[]> OptionSchemes = new(StringComparer.Ordinal)
    {
        ["--ttl"] = [SchemeNames.TypeA, SchemeNames.TypeB, SchemeNames.TypeC],
        ["--form"] = [SchemeNames.TypeB, SchemeNames.TypeC, SchemeNames.Hmac],
        ["--rand"] = [SchemeNames.TypeA],
        ["--uid"] = [SchemeNames.TypeA],
        ["--sign-name"] = [SchemeNames.TypeC],
        ["--time-name"] = [SchemeNames.TypeC],
        ["--tx-secret-name"] = [SchemeNames.StreamSecret],
        ["--tx-time-name"] = [SchemeNames.StreamSecret],
        ["--token-name"] = [SchemeNames.Hmac],
        ["--acl"] = [SchemeNames.Hmac],
        ["--ip"] = [SchemeNames.Hmac],
        ["--start"] = [SchemeNames.Hmac],
        ["--id"] = [SchemeNames.Hmac],
        ["--data"] = [SchemeNames.Hmac],
    };

    private static readonly string[] Common = ["--scheme", "--key", "--key-file", "--expires"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public bool Help { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The request, once <see cref="Error"/> is null and not <see cref="Help"/>.</summary>
    public SignRequest? Request { get; private set; }

    public static SignOptions Parse(string[] args, long now, Func<string, string> readFile)
    {
        var options = new SignOptions();
        string? url = null;
        for (var i = 0; i < args.Length && options.Error is null; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                options.Help = true;
                return options;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (url is not null)
                {
                    options.Error = "sign takes one URL";
                }
                url = arg;
            }
            else if (!OptionSchemes.ContainsKey(arg) && Array.IndexOf(Common, arg) < 0)
            {
                options.Error = $"unknown option '{arg}' for sign";
            }
            else if (i + 1 >= args.Length)
            {
                options.Error = $"{arg} needs a value";
            }
            else if (!options._values.TryAdd(arg, args[++i]))
            {
                options.Error = $"{arg} is given twice";
            }
        }
        if (options.Error is null)
        {
            options.Request = options.Build(url, now, readFile);
        }
        return options;
    }

    private SignRequest? Build(string? url, long now, Func<string, string> readFile)
    {
        var scheme = Value("--scheme");
        if (scheme is null || url is null || Value("--expires") is null)
        {
            return Fail("sign needs --scheme, a key, --expires and a URL");
        }
        foreach (var (option, schemes) in OptionSchemes)
        {
            if (_values.ContainsKey(option) && Array.IndexOf(schemes, scheme) < 0 && Array.IndexOf(SchemeNames.All, scheme) >= 0)
            {
                return Fail($"{option} goes with --scheme {string.Join(" or ", schemes)}");
            }
        }
        var key = Key(readFile);
        if (key is null || Error is not null)
        {
            return Fail("sign needs --key KEY or --key-file FILE (one of them)");
        }
        if (!TimeArgument.TryParse(Value("--expires")!, now, out var expires))
        {
            return Fail($"--expires takes {TimeArgument.Forms}, not '{Value("--expires")}'");
        }
        long? start = null;
        if (Value("--start") is { } startText)
        {
            if (!TimeArgument.TryParse(startText, now, out var at))
            {
                return Fail($"--start takes {TimeArgument.Forms}, not '{startText}'");
            }
            start = at;
        }
        var ttl = 1800;
        if (Value("--ttl") is { } ttlText && !int.TryParse(ttlText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ttl))
        {
            return Fail($"--ttl takes whole seconds, not '{ttlText}'");
        }
        TokenForm? form = Value("--form") switch
        {
            null => null,
            "query" => TokenForm.Query,
            "path" => TokenForm.Path,
            var other => Fail<TokenForm?>($"--form takes query or path, not '{other}'"),
        };
        if (Error is not null)
        {
            return null;
        }
        var defaults = new SignRequest { Scheme = scheme, Key = key, Url = url, Expires = expires };
        return new SignRequest
        {
            Scheme = scheme,
            Key = key,
            Url = url,
            Expires = expires,
            TtlSeconds = ttl,
            Form = form,
            Rand = Value("--rand") ?? defaults.Rand,
            Uid = Value("--uid") ?? defaults.Uid,
            SignName = Value("--sign-name") ?? defaults.SignName,
            TimeName = Value("--time-name") ?? defaults.TimeName,
            TxSecretName = Value("--tx-secret-name") ?? defaults.TxSecretName,
            TxTimeName = Value("--tx-time-name") ?? defaults.TxTimeName,
            TokenName = Value("--token-name") ?? defaults.TokenName,
            Acl = Value("--acl"),
            Ip = Value("--ip"),
            Start = start,
            Id = Value("--id"),
            Data = Value("--data"),
        };
    }

    /// <summary>--key, or the first line of --key-file (a key kept out of the shell's history and ps).</summary>
    private string? Key(Func<string, string> readFile)
    {
        var key = Value("--key");
        var file = Value("--key-file");
        if ((key is not null) == (file is not null))
        {
            return null;
        }
        if (key is not null)
        {
            return key;
        }
        try
        {
            return readFile(file!).Split('\n')[0].TrimEnd('\r', ' ', '\t');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Error = $"cannot read the key file {file}: {ex.Message}";
            return "";
        }
    }

    private string? Value(string option) => _values.GetValueOrDefault(option);

    private SignRequest? Fail(string error) => Fail<SignRequest?>(error);

    private T? Fail<T>(string error)
    {
        Error ??= error;
        return default;
    }
}
