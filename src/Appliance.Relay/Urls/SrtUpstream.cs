using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Appliance.Protocols.Srt;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Urls;

/// <summary>
/// The SRT part of an <c>srt://host:port?...</c> upstream or push target, in the query options
/// srt-live-transmit and ffmpeg use: <c>streamid</c> (a template with <c>{app}</c> and
/// <c>{stream}</c>; default <c>#!::r={app}/{stream},m=request</c> for a pull and <c>m=publish</c>
/// for a push), <c>passphrase</c> (10 to 79 characters: AES), <c>pbkeylen</c> (16, 24 or 32),
/// <c>latency</c> (milliseconds, as libsrt and srt-live-transmit count it; ffmpeg's option of the
/// same name is in microseconds) and <c>mode=caller</c> (the only mode a node calls a parent in).
/// Values may be percent-encoded.
/// </summary>
public sealed class SrtUpstream
{
    public const string DefaultRequestStreamId = "#!::r={app}/{stream},m=request";
    public const string DefaultPublishStreamId = "#!::r={app}/{stream},m=publish";
    public const int MinPassphrase = 10;
    public const int MaxPassphrase = 79;
    public const int MaxLatencyMs = 60_000;

    private const string AccessControlPrefix = "#!::";
    private const string Options = "streamid, passphrase, pbkeylen, latency, mode";

    private SrtUpstream(string? streamIdTemplate, string? passphrase, int keyLength, int? latencyMs)
    {
        StreamIdTemplate = streamIdTemplate;
        Passphrase = passphrase;
        KeyLength = keyLength;
        LatencyMs = latencyMs;
    }

    /// <summary>The configured stream id template, or null for the defaults.</summary>
    public string? StreamIdTemplate { get; }

    public string? Passphrase { get; }

    /// <summary>AES key bytes (16, 24, 32); 0 lets libsrt choose (16).</summary>
    public int KeyLength { get; }

    /// <summary>The latency asked for, or null for the node's <c>srt.latencyMs</c>.</summary>
    public int? LatencyMs { get; }

    /// <summary>The connection's settings: this URL's options over <paramref name="node"/>'s (the node's srt section).</summary>
    public SrtSettings Settings(SrtSettings node) => node with
    {
        LatencyMs = LatencyMs ?? node.LatencyMs,
        Passphrase = Passphrase,
        KeyLength = KeyLength,
    };

    /// <summary>
    /// The stream id to call with: the template (or the default for <paramref name="mode"/>) with
    /// its placeholders filled, and <paramref name="nodeQuery"/> (loop protection) added to the
    /// resource's query. Throws <see cref="ArgumentException"/> when a name cannot be carried.
    /// </summary>
    public string StreamId(string app, string stream, SrtMode mode, string? nodeQuery)
    {
        foreach (var name in (ReadOnlySpan<string>)[app, stream])
        {
            if (name.AsSpan().IndexOfAny(",?&#") >= 0)
            {
                throw new ArgumentException($"the name '{name}' holds a character an SRT stream id cannot carry (',', '?', '&' or '#')");
            }
        }
        var id = (StreamIdTemplate ?? (mode == SrtMode.Request ? DefaultRequestStreamId : DefaultPublishStreamId))
            .Replace("{app}", app, StringComparison.Ordinal)
            .Replace("{stream}", stream, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(nodeQuery))
        {
            // The access-control form separates its entries with ','; the via list's commas are escaped (Via unescapes them).
            id = AddQuery(id, nodeQuery.Replace(",", "%2C", StringComparison.Ordinal));
        }
        if (id.Length > SrtStreamId.MaxLength)
        {
            throw new ArgumentException($"the stream id would be {id.Length} characters; SRT carries at most {SrtStreamId.MaxLength}");
        }
        return id;
    }

    /// <summary>The options in a fixed order, the passphrase and any credentials in the stream id masked: part of the candidate's identity and of log lines.</summary>
    public string CanonicalQuery()
    {
        var parts = new List<string>(4);
        if (StreamIdTemplate is not null)
        {
            parts.Add("streamid=" + MaskStreamId(StreamIdTemplate));
        }
        if (LatencyMs is { } latency)
        {
            parts.Add("latency=" + latency.ToString(CultureInfo.InvariantCulture));
        }
        if (Passphrase is not null)
        {
            parts.Add("passphrase=" + UrlSyntax.MaskedValue);
        }
        if (KeyLength != 0)
        {
            parts.Add("pbkeylen=" + KeyLength.ToString(CultureInfo.InvariantCulture));
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>Parses the query after '?' (null: none).</summary>
    public static bool TryParse(string? query, [NotNullWhen(true)] out SrtUpstream? srt, out string error)
    {
        srt = null;
        string? streamId = null, passphrase = null;
        int? latency = null;
        int keyLength = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (query is not null)
        {
            if (query.Length == 0)
            {
                error = "has an empty query after '?'";
                return false;
            }
            foreach (var pair in query.Split('&'))
            {
                var equals = pair.IndexOf('=');
                if (equals <= 0 || equals == pair.Length - 1)
                {
                    error = $"has a query entry '{Shorten(pair)}' that is not option=value (options: {Options})";
                    return false;
                }
                var key = pair[..equals];
                if (!seen.Add(key))
                {
                    error = $"sets '{key}' twice";
                    return false;
                }
                if (!TryDecode(pair[(equals + 1)..], key, out var value, out error))
                {
                    return false;
                }
                switch (key)
                {
                    case "streamid":
                        if (!TryCheckStreamId(value, out error))
                        {
                            return false;
                        }
                        streamId = value;
                        break;
                    case "passphrase":
                        if (value.Length is < MinPassphrase or > MaxPassphrase)
                        {
                            error = $"has a passphrase of {value.Length} characters; SRT takes {MinPassphrase} to {MaxPassphrase}";
                            return false;
                        }
                        passphrase = value;
                        break;
                    case "pbkeylen":
                        if (value is not ("16" or "24" or "32"))
                        {
                            error = $"has pbkeylen={Shorten(value)}; it takes 16, 24 or 32 (bytes of AES key)";
                            return false;
                        }
                        keyLength = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "latency":
                        if (value.Length > 6 || !value.All(char.IsAsciiDigit) || int.Parse(value, CultureInfo.InvariantCulture) > MaxLatencyMs)
                        {
                            error = $"has latency={Shorten(value)}; it takes whole milliseconds from 0 to {MaxLatencyMs}";
                            return false;
                        }
                        latency = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "mode":
                        if (value != "caller")
                        {
                            error = $"has mode={Shorten(value)}; a node only calls its parents and targets (mode=caller)";
                            return false;
                        }
                        break;
                    default:
                        error = $"has an unknown option '{Shorten(key)}' (options: {Options})";
                        return false;
                }
            }
        }
        if (keyLength != 0 && passphrase is null)
        {
            error = "sets pbkeylen without a passphrase";
            return false;
        }
        srt = new SrtUpstream(streamId, passphrase, keyLength, latency);
        error = "";
        return true;
    }

    private static bool TryDecode(string raw, string key, out string value, out string error)
    {
        value = "";
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && !(i + 2 < raw.Length && char.IsAsciiHexDigit(raw[i + 1]) && char.IsAsciiHexDigit(raw[i + 2])))
            {
                error = $"has a '%' not followed by two hex digits in {key}";
                return false;
            }
        }
        value = Uri.UnescapeDataString(raw);
        foreach (char c in value)
        {
            if (char.IsControl(c) || c > '\x7e')
            {
                error = $"has {key} with a control or non-ASCII character once decoded";
                return false;
            }
        }
        error = "";
        return true;
    }

    private static bool TryCheckStreamId(string template, out string error)
    {
        if (template.Length > SrtStreamId.MaxLength)
        {
            error = $"has a streamid of {template.Length} characters; SRT carries at most {SrtStreamId.MaxLength}";
            return false;
        }
        var rest = template.Replace("{app}", "", StringComparison.Ordinal).Replace("{stream}", "", StringComparison.Ordinal);
        if (rest.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            error = "has an unknown placeholder in streamid (only {app} and {stream})";
            return false;
        }
        if (template.StartsWith(AccessControlPrefix, StringComparison.Ordinal)
            && SrtStreamId.Parse(template.Replace("{app}", "app", StringComparison.Ordinal).Replace("{stream}", "stream", StringComparison.Ordinal), out var problem) is null)
        {
            error = $"has a streamid the node could not send: {problem}";
            return false;
        }
        error = "";
        return true;
    }

    // Adds to the resource's query: r= in the access-control form, else the plain resource.
    private static string AddQuery(string id, string query)
    {
        if (!id.StartsWith(AccessControlPrefix, StringComparison.Ordinal))
        {
            return id + (id.Contains('?', StringComparison.Ordinal) ? '&' : '?') + query;
        }
        var entries = id[AccessControlPrefix.Length..].Split(',');
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].StartsWith("r=", StringComparison.Ordinal))
            {
                entries[i] += (entries[i].Contains('?', StringComparison.Ordinal) ? '&' : '?') + query;
            }
        }
        return AccessControlPrefix + string.Join(',', entries);
    }

    // The stream id may carry a token (t=..., or a query on the resource): masked like URL queries.
    private static string MaskStreamId(string id)
    {
        if (!id.StartsWith(AccessControlPrefix, StringComparison.Ordinal))
        {
            return UrlSyntax.MaskQueryValues(id);
        }
        var masked = new StringBuilder(AccessControlPrefix);
        var first = true;
        foreach (var entry in id[AccessControlPrefix.Length..].Split(','))
        {
            masked.Append(first ? "" : ",");
            first = false;
            masked.Append(entry switch
            {
                _ when entry.StartsWith("t=", StringComparison.Ordinal) => "t=" + UrlSyntax.MaskedValue,
                _ when entry.StartsWith("r=", StringComparison.Ordinal) => UrlSyntax.MaskQueryValues(entry),
                _ => entry,
            });
        }
        return masked.ToString();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : $"{text[..40]}...";
}
