namespace Appliance.Auth.Signing;

/// <summary>
/// What a signed URL is made from: the scheme and key of the app's rule, the URL to sign, when it
/// must stop working, and the scheme's parameters, named and defaulted as in the app's auth rule.
/// </summary>
public sealed class SignRequest
{
    /// <summary>typeA, typeB, typeC, streamSecret or hmac, as in the config.</summary>
    public required string Scheme { get; init; }

    /// <summary>The rule's key (for hmac, hex).</summary>
    public required string Key { get; init; }

    /// <summary>rtmp://HOST/{app}/{name}, or http(s)://HOST/{app}/{name}.{flv,ts,m3u8,mpd} (or a segment /{app}/{name}/{file}).</summary>
    public required string Url { get; init; }

    /// <summary>Unix seconds after which the node refuses the URL.</summary>
    public required long Expires { get; init; }

    /// <summary>Type A/B/C carry the signing time and the node adds its ttlSeconds: this must be the app's value.</summary>
    public int TtlSeconds { get; init; } = 1800;

    /// <summary>Where the token rides; null = the scheme's usual place (Type B the path, every other scheme the query).</summary>
    public TokenForm? Form { get; init; }

    /// <summary>Type A's rand field (no '-').</summary>
    public string Rand { get; init; } = "0";

    /// <summary>Type A's uid field.</summary>
    public string Uid { get; init; } = "0";

    public string SignName { get; init; } = "sign";

    public string TimeName { get; init; } = "t";

    public string TxSecretName { get; init; } = "txSecret";

    public string TxTimeName { get; init; } = "txTime";

    public string TokenName { get; init; } = "__token__";

    /// <summary>hmac: patterns joined by '!'; null signs the exact path (URL mode).</summary>
    public string? Acl { get; init; }

    /// <summary>hmac: the only client address the token is good for.</summary>
    public string? Ip { get; init; }

    /// <summary>hmac: Unix seconds before which the token is not yet good.</summary>
    public long? Start { get; init; }

    public string? Id { get; init; }

    public string? Data { get; init; }
}

/// <summary>Where a token rides, for the schemes that offer a choice.</summary>
public enum TokenForm
{
    Query,
    Path,
}
